// What each field of a params / querystring / headers schema expects, read once per schema: from its
// input JSON Schema (Standard JSON Schema) where the validator has one, else from valibot's structure.
import { type JsonSchema, markedJsonSchema, nativeTypeKey } from './json-schema.js';
import type { StandardSchemaV1 } from './standard-schema.js';

/** The type a string is coerced to before validation. */
export type ScalarKind = 'string' | 'number' | 'integer' | 'boolean' | 'date' | 'bigint';

/** How one field's raw string(s) become a value. */
export interface FieldKind {
  /** The scalar kind, or of each item when `array`. */
  readonly kind: ScalarKind;
  /** Whether the field is a list (repeated query keys, comma-separated headers). */
  readonly array: boolean;
}

/** The field kinds of a part schema, by field name. */
export type FieldKinds = ReadonlyMap<string, FieldKind>;

function isRecord(value: unknown): value is JsonSchema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function alternatives(schema: JsonSchema): JsonSchema[] {
  const list = schema.anyOf ?? schema.oneOf;
  return Array.isArray(list) ? list.filter(isRecord) : [];
}

/** The JSON types a schema accepts, looking into anyOf/oneOf and enum/const values. */
function acceptedTypes(schema: JsonSchema, types = new Set<string>(), depth = 0): Set<string> {
  const native = schema[nativeTypeKey];
  if (typeof native === 'string') types.add(native);
  if (typeof schema.type === 'string') types.add(schema.type);
  if (Array.isArray(schema.type)) for (const type of schema.type) types.add(String(type));
  const values = Array.isArray(schema.enum) ? schema.enum : 'const' in schema ? [schema.const] : [];
  for (const value of values) types.add(value === null ? 'null' : typeof value);
  if (depth < 4) for (const option of alternatives(schema)) acceptedTypes(option, types, depth + 1);
  return types;
}

// When a field accepts several types, the most specific one is tried first; a string that cannot be
// coerced is handed to the validator unchanged, so its own message reports the problem.
const precedence: readonly ScalarKind[] = ['date', 'bigint', 'integer', 'number', 'boolean'];

function scalarOf(types: Set<string>): ScalarKind {
  return precedence.find((kind) => types.has(kind)) ?? 'string';
}

function kindOfProperty(schema: JsonSchema): FieldKind {
  const types = acceptedTypes(schema);
  if (types.has('array')) {
    const arrays = [schema, ...alternatives(schema)].filter((option) => isRecord(option.items));
    const items = arrays[0]?.items as JsonSchema | undefined;
    return { kind: items === undefined ? 'string' : scalarOf(acceptedTypes(items)), array: true };
  }
  return { kind: scalarOf(types), array: false };
}

function fromJsonSchema(root: JsonSchema): FieldKinds | undefined {
  if (!isRecord(root.properties)) return undefined;
  const kinds = new Map<string, FieldKind>();
  for (const [name, property] of Object.entries(root.properties)) {
    if (isRecord(property)) kinds.set(name, kindOfProperty(property));
  }
  return kinds;
}

// valibot keeps its structure on the schema object: `entries`, `wrapped`, `item`, `options`, `type`.
interface Structure {
  type?: unknown;
  entries?: unknown;
  wrapped?: unknown;
  item?: unknown;
  options?: unknown;
  pipe?: unknown;
}

const wrappers = new Set([
  'optional',
  'nullable',
  'nullish',
  'exact_optional',
  'undefinedable',
  'non_optional',
]);

function structuralTypes(node: Structure, types: Set<string>, depth = 0): Set<string> {
  if (depth > 8 || typeof node !== 'object' || node === null) return types;
  const type = node.type;
  if (typeof type !== 'string') return types;
  if (wrappers.has(type)) return structuralTypes(node.wrapped as Structure, types, depth + 1);
  if (type === 'union' || type === 'variant') {
    for (const option of Array.isArray(node.options) ? node.options : [])
      structuralTypes(option, types, depth + 1);
    return types;
  }
  if (type === 'picklist' || type === 'literal') {
    const options = Array.isArray(node.options) ? node.options : [(node as { literal?: unknown }).literal];
    for (const option of options) types.add(typeof option);
    return types;
  }
  const isInteger =
    type === 'number' &&
    Array.isArray(node.pipe) &&
    node.pipe.some((action: Structure) => action?.type === 'integer');
  types.add(isInteger ? 'integer' : type);
  return types;
}

function unwrap(node: Structure): Structure {
  let current = node;
  for (let depth = 0; depth < 8 && typeof current.type === 'string' && wrappers.has(current.type); depth++) {
    current = current.wrapped as Structure;
  }
  return current;
}

function fromStructure(schema: Structure): FieldKinds | undefined {
  if (!isRecord(schema.entries)) return undefined;
  const kinds = new Map<string, FieldKind>();
  for (const [name, entry] of Object.entries(schema.entries)) {
    const node = unwrap(entry as Structure);
    if (node?.type === 'array') {
      kinds.set(name, { kind: scalarOf(structuralTypes(node.item as Structure, new Set())), array: true });
    } else {
      kinds.set(name, { kind: scalarOf(structuralTypes(entry as Structure, new Set())), array: false });
    }
  }
  return kinds;
}

const cache = new WeakMap<object, FieldKinds>();
const none: FieldKinds = new Map();

/**
 * The field kinds of an object schema (zod, valibot, or any validator with Standard JSON Schema).
 * A schema that cannot be read gets no coercion: its fields stay strings (arrays when repeated).
 */
export function readFieldKinds(schema: StandardSchemaV1): FieldKinds {
  let kinds = cache.get(schema);
  if (kinds === undefined) {
    const json = markedJsonSchema(schema);
    kinds = (json && fromJsonSchema(json)) ?? fromStructure(schema as Structure) ?? none;
    cache.set(schema, kinds);
  }
  return kinds;
}
