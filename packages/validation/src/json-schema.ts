// JSON Schema of a schema's input or output, through Standard JSON Schema (zod ≥ 4.2 `~standard.jsonSchema`),
// never throwing: what JSON Schema cannot express (dates, bigint, transforms) gets a documented stand-in.
import { isStandardSchema, type StandardSchemaV1 } from './standard-schema.js';

/** A JSON Schema object, read loosely. */
export type JsonSchema = { readonly [key: string]: unknown };

/** Options of {@link toJsonSchema}. */
export interface ToJsonSchemaOptions {
  /** `input` (what a request sends, the default) or `output` (what a response carries). */
  io?: 'input' | 'output';
  /** The JSON Schema dialect; `draft-2020-12` (OpenAPI 3.1) by default. */
  target?: string;
}

/** What the stand-ins mark, read by coercion: the JavaScript type a JSON string stands for. */
export const nativeTypeKey = 'x-plinth-native-type';

interface OverrideContext {
  zodSchema?: { _zod?: { def?: { type?: unknown } } };
  jsonSchema: Record<string, unknown>;
}

// zod's `override` hook (a libraryOption other validators ignore): a Date travels as an ISO 8601
// string; a bigint comes in as an integer (or its digits in a query) and goes out as a string of
// digits, which is how this package's serializer writes it (no precision lost in JavaScript clients).
function standIn(io: 'input' | 'output') {
  return (context: OverrideContext): void => {
    const type = context.zodSchema?._zod?.def?.type;
    if (type === 'date') {
      Object.assign(context.jsonSchema, { type: 'string', format: 'date-time', [nativeTypeKey]: 'date' });
    } else if (type === 'bigint') {
      const bigint = io === 'input' ? { type: 'integer' } : { type: 'string', pattern: '^-?[0-9]+$' };
      Object.assign(context.jsonSchema, { ...bigint, format: 'int64', [nativeTypeKey]: 'bigint' });
    }
  };
}

const libraryOptions = {
  input: { unrepresentable: 'any', override: standIn('input') },
  output: { unrepresentable: 'any', override: standIn('output') },
};

/**
 * The JSON Schema of a schema's input (or output). A transform's output is `{}` (any), dates are
 * `string` / `date-time`, bigints `integer` / `int64`. A validator without Standard JSON Schema, or
 * one that throws, gives `{}`: it accepts anything, which is true of what we can say about it.
 *
 * @example
 * toJsonSchema(z.object({ createdAt: z.date() }), { io: 'output' });
 * // { type: 'object', properties: { createdAt: { type: 'string', format: 'date-time' } } ... }
 */
export function toJsonSchema(schema: StandardSchemaV1, options: ToJsonSchemaOptions = {}): JsonSchema {
  const converter = isStandardSchema(schema) ? schema['~standard'].jsonSchema : undefined;
  const convert = options.io === 'output' ? converter?.output : converter?.input;
  if (typeof convert !== 'function') return {};
  try {
    const io = options.io ?? 'input';
    return stripMarks(
      convert({ target: options.target ?? 'draft-2020-12', libraryOptions: libraryOptions[io] }),
    );
  } catch {
    return {};
  }
}

/** The JSON Schema with the internal `x-plinth-native-type` marks, for coercion. */
export function markedJsonSchema(schema: StandardSchemaV1): JsonSchema | undefined {
  const convert = schema['~standard'].jsonSchema?.input;
  if (typeof convert !== 'function') return undefined;
  try {
    return convert({ target: 'draft-2020-12', libraryOptions: libraryOptions.input });
  } catch {
    return undefined;
  }
}

function stripMarks(value: Record<string, unknown>): JsonSchema {
  return JSON.parse(JSON.stringify(value), (key, item) => (key === nativeTypeKey ? undefined : item));
}
