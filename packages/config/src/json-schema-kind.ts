// Reading a variable's coercion kind and expected-type wording from its input JSON Schema, as a
// validator that implements Standard JSON Schema (zod ≥ 4.2) describes it.

import { type CoercionKind, describeKind } from './coercion-kind.js';

/** A JSON Schema object, read loosely. */
export type JsonSchema = { readonly [key: string]: unknown };

/** What a JSON Schema says about how to coerce a variable. */
export interface KindReading {
  /** The kind to coerce to. */
  readonly kind: CoercionKind;
  /** The kind of each item of a list. */
  readonly itemKind: CoercionKind;
  /** When the schema also accepts a string, a string that cannot be coerced is passed on as is. */
  readonly lenient: boolean;
  /** The expected type, in words. */
  readonly expected: string;
}

/** Whether a value is a non-null, non-array object. */
export function isRecord(value: unknown): value is JsonSchema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function alternatives(schema: JsonSchema): JsonSchema[] {
  const list = schema.anyOf ?? schema.oneOf;
  return Array.isArray(list) ? list.filter(isRecord) : [];
}

/** The JSON types a schema accepts, looking into anyOf/oneOf and enum/const values. */
function acceptedTypes(schema: JsonSchema, depth = 0): Set<string> {
  const types = new Set<string>();
  if (typeof schema.type === 'string') types.add(schema.type);
  if (Array.isArray(schema.type)) for (const type of schema.type) types.add(String(type));
  const values = Array.isArray(schema.enum) ? schema.enum : 'const' in schema ? [schema.const] : [];
  for (const value of values) types.add(value === null ? 'null' : typeof value);
  if (depth < 4) {
    for (const alternative of alternatives(schema)) {
      for (const type of acceptedTypes(alternative, depth + 1)) types.add(type);
    }
  }
  return types;
}

// Precedence when a schema accepts several non-string types: the most specific first.
const kindByType: ReadonlyArray<readonly [string, CoercionKind]> = [
  ['integer', 'integer'],
  ['number', 'number'],
  ['boolean', 'boolean'],
  ['array', 'list'],
  ['object', 'json'],
];

function scalarKind(schema: JsonSchema): CoercionKind {
  const types = acceptedTypes(schema);
  for (const [type, kind] of kindByType)
    if (type !== 'array' && type !== 'object' && types.has(type)) return kind;
  return 'string';
}

function expectedWords(schema: JsonSchema, kind: CoercionKind, itemKind: CoercionKind, depth = 0): string {
  if (Array.isArray(schema.enum))
    return `one of ${schema.enum.map((value) => JSON.stringify(value)).join(' | ')}`;
  if ('const' in schema) return JSON.stringify(schema.const);
  const options = alternatives(schema);
  if (options.length > 0 && depth < 4) {
    return options
      .map((option) => expectedWords(option, readKind(option).kind, itemKind, depth + 1))
      .join(' or ');
  }
  if (kind === 'string' && (schema.format === 'uri' || schema.format === 'url')) return describeKind('url');
  if (kind === 'string' && typeof schema.format === 'string') return `string (${schema.format})`;
  if (kind === 'json') return 'JSON object';
  return describeKind(kind, itemKind);
}

function readKind(schema: JsonSchema): { kind: CoercionKind; itemKind: CoercionKind; lenient: boolean } {
  const types = acceptedTypes(schema);
  const lenient = types.has('string');
  for (const [type, kind] of kindByType) {
    if (!types.has(type)) continue;
    const items = isRecord(schema.items) ? schema.items : undefined;
    return { kind, itemKind: items === undefined ? 'string' : scalarKind(items), lenient };
  }
  return { kind: 'string', itemKind: 'string', lenient: true };
}

/** How to coerce a variable whose input JSON Schema is `schema`. */
export function readJsonSchemaKind(schema: JsonSchema): KindReading {
  const { kind, itemKind, lenient } = readKind(schema);
  return { kind, itemKind, lenient, expected: expectedWords(schema, kind, itemKind) };
}
