// Route schemas as JSON Schema, with every schema that carries an id (zod `.meta({ id })`, a
// registry id, `$defs` of a plain JSON Schema) moved once into `components.schemas` and referenced by `$ref`.
import { DevtoolsError } from './errors.js';
import { isStandardSchema, type SchemaLike, type StandardSchemaV1 } from './route-source.js';

/** A JSON Schema object (draft 2020-12, the dialect of OpenAPI 3.1). */
export type JsonSchema = Record<string, unknown>;

/** Which side of the wire a schema describes: what a client sends, or what the server answers. */
export type SchemaDirection = 'input' | 'output';

/**
 * Turns a Standard Schema without Standard JSON Schema support into JSON Schema (for example
 * valibot with `@valibot/to-json-schema`); `undefined` falls back to the built-in conversion.
 */
export type JsonSchemaConverter = (
  schema: StandardSchemaV1,
  direction: SchemaDirection,
) => JsonSchema | undefined;

const DEFS_PREFIX = '#/$defs/';
const COMPONENTS_PREFIX = '#/components/schemas/';

// zod's own options for its Standard JSON Schema methods: never throw on what JSON Schema cannot say
// (bigint, transforms, custom types become {}), and dates travel as ISO strings in JSON.
const ZOD_OPTIONS = {
  unrepresentable: 'any',
  override: (context: { zodSchema: { _zod?: { def?: { type?: string } } }; jsonSchema: JsonSchema }) => {
    if (context.zodSchema._zod?.def?.type === 'date') {
      context.jsonSchema.type = 'string';
      context.jsonSchema.format = 'date-time';
    }
  },
};

interface StoredDefinition {
  readonly body: JsonSchema;
  readonly canonical: string;
  /** Ids this definition references. */
  readonly refs: ReadonlySet<string>;
}

interface PendingRef {
  readonly holder: { $ref?: unknown };
  readonly id: string;
  readonly direction: SchemaDirection;
}

/** Collects the JSON Schema of every route schema and the shared components they reference. */
export class SchemaComponents {
  readonly #converter: JsonSchemaConverter | undefined;
  /** id → its definition as input and as output. */
  readonly #definitions = new Map<string, Partial<Record<SchemaDirection, StoredDefinition>>>();
  readonly #refs: PendingRef[] = [];
  readonly #fixed = new Map<string, JsonSchema>();

  constructor(converter?: JsonSchemaConverter) {
    this.#converter = converter;
  }

  /** Adds a component the package itself defines (Problem ...) under a fixed name. */
  addFixed(name: string, body: JsonSchema): void {
    this.#fixed.set(name, body);
  }

  /**
   * The JSON Schema of `schema` for use inside the document; referenced definitions become components.
   * `where` names the route part for error messages.
   */
  schemaOf(schema: SchemaLike, direction: SchemaDirection, where: string): JsonSchema {
    const converted = this.#convert(schema, direction, where);
    const defs = (converted.$defs ?? {}) as Record<string, JsonSchema>;
    delete converted.$defs;
    delete converted.$schema;
    for (const [id, body] of Object.entries(defs)) this.#store(id, body, direction);
    this.#track(converted, direction);
    return converted;
  }

  /**
   * The properties of an object schema (for parameters), following a root `$ref` to its definition.
   * Nested references still become components.
   */
  objectOf(
    schema: SchemaLike,
    direction: SchemaDirection,
    where: string,
  ): { properties: Record<string, JsonSchema>; required: Set<string> } {
    const converted = this.#convert(schema, direction, where);
    const defs = (converted.$defs ?? {}) as Record<string, JsonSchema>;
    delete converted.$defs;
    const stored = new Map<string, JsonSchema>();
    for (const [id, body] of Object.entries(defs)) stored.set(id, this.#store(id, body, direction));
    let root: JsonSchema = converted;
    const ref = typeof root.$ref === 'string' && root.$ref.startsWith(DEFS_PREFIX) ? root.$ref : undefined;
    if (ref !== undefined) root = stored.get(ref.slice(DEFS_PREFIX.length)) ?? root;
    else this.#track(root, direction);
    const properties = (root.properties ?? {}) as Record<string, JsonSchema>;
    if (typeof properties !== 'object' || (root.type !== undefined && root.type !== 'object')) {
      throw new DevtoolsError(
        'ERR_DEVTOOLS_SCHEMA_UNSUPPORTED',
        `${where} must be an object schema with one property per parameter.`,
      );
    }
    return { properties, required: new Set((root.required ?? []) as string[]) };
  }

  /** Assigns component names and points every `$ref` at them; returns `components.schemas`. */
  finish(): Record<string, JsonSchema> {
    const names = this.#names();
    for (const { holder, id, direction } of this.#refs) {
      holder.$ref = COMPONENTS_PREFIX + names.get(`${direction}\0${id}`)!;
    }
    const schemas: Record<string, JsonSchema> = {};
    for (const [id, variants] of this.#definitions) {
      for (const direction of ['output', 'input'] as const) {
        const variant = variants[direction];
        const name = names.get(`${direction}\0${id}`)!;
        if (variant !== undefined && !(name in schemas)) schemas[name] = variant.body;
      }
    }
    for (const [name, body] of this.#fixed) {
      if (name in schemas) {
        throw new DevtoolsError(
          'ERR_DEVTOOLS_SCHEMA_CONFLICT',
          `A route schema uses the id "${name}", which devtools reserves for the problem+json errors; choose another id.`,
        );
      }
      schemas[name] = body;
    }
    return Object.fromEntries(Object.entries(schemas).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  }

  // One name per id when input and output agree; otherwise the output keeps the id and the input
  // gets `<id>Input` (a default or a transform makes them differ), as zod-openapi does. A definition
  // also splits when one it references does, transitively: its two copies point at different names.
  #names(): Map<string, string> {
    const split = new Set<string>();
    for (const [id, { input, output }] of this.#definitions) {
      if (input !== undefined && output !== undefined && input.canonical !== output.canonical) split.add(id);
    }
    for (let changed = true; changed; ) {
      changed = false;
      for (const [id, { input, output }] of this.#definitions) {
        if (split.has(id) || input === undefined || output === undefined) continue;
        if ([...input.refs, ...output.refs].some((ref) => split.has(ref))) {
          split.add(id);
          changed = true;
        }
      }
    }
    const names = new Map<string, string>();
    for (const id of this.#definitions.keys()) {
      names.set(`output\0${id}`, id);
      names.set(`input\0${id}`, split.has(id) ? `${id}Input` : id);
    }
    return names;
  }

  #store(id: string, body: JsonSchema, direction: SchemaDirection): JsonSchema {
    const canonical = canonicalJson(body);
    let variants = this.#definitions.get(id);
    if (variants === undefined) {
      variants = {};
      this.#definitions.set(id, variants);
    }
    const existing = variants[direction];
    if (existing !== undefined) {
      if (existing.canonical === canonical) return existing.body;
      throw new DevtoolsError(
        'ERR_DEVTOOLS_SCHEMA_CONFLICT',
        `Two different schemas use the id "${id}"; give each its own id (zod: .meta({ id })).`,
      );
    }
    const refs = new Set<string>();
    for (const match of canonical.matchAll(/"\$ref":"#\/\$defs\/([^"]+)"/g)) refs.add(match[1]!);
    variants[direction] = { body, canonical, refs };
    this.#track(body, direction);
    return body;
  }

  #track(node: unknown, direction: SchemaDirection): void {
    if (Array.isArray(node)) {
      for (const item of node) this.#track(item, direction);
    } else if (node !== null && typeof node === 'object') {
      const record = node as Record<string, unknown>;
      if (typeof record.$ref === 'string' && record.$ref.startsWith(DEFS_PREFIX)) {
        this.#refs.push({ holder: record, id: record.$ref.slice(DEFS_PREFIX.length), direction });
      }
      for (const value of Object.values(record)) this.#track(value, direction);
    }
  }

  #convert(schema: SchemaLike, direction: SchemaDirection, where: string): JsonSchema {
    if (!isStandardSchema(schema)) {
      if (schema === null || typeof schema !== 'object') {
        throw new DevtoolsError('ERR_DEVTOOLS_SCHEMA_UNSUPPORTED', `${where} is not a schema.`);
      }
      return structuredClone(schema) as JsonSchema; // a plain JSON Schema, as Fastify routes give
    }
    const custom = this.#converter?.(schema, direction);
    if (custom !== undefined) return structuredClone(custom);
    const standard = schema['~standard'];
    if (standard.jsonSchema === undefined) {
      throw new DevtoolsError(
        'ERR_DEVTOOLS_SCHEMA_UNSUPPORTED',
        `${where} is a ${standard.vendor} schema without Standard JSON Schema support; pass the \`toJsonSchema\` option (for valibot: toJsonSchema from @valibot/to-json-schema) or use zod 4.`,
      );
    }
    const libraryOptions = standard.vendor === 'zod' ? ZOD_OPTIONS : undefined;
    try {
      return standard.jsonSchema[direction]({
        target: 'draft-2020-12',
        ...(libraryOptions && { libraryOptions }),
      });
    } catch (cause) {
      throw new DevtoolsError(
        'ERR_DEVTOOLS_SCHEMA_UNSUPPORTED',
        `${where} could not be converted to JSON Schema: ${(cause as Error)?.message ?? String(cause)}`,
        { cause },
      );
    }
  }
}

/** JSON with object keys sorted, so equal schemas compare equal whatever their key order. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) =>
    item !== null && typeof item === 'object' && !Array.isArray(item)
      ? Object.fromEntries(Object.entries(item).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : item,
  );
}
