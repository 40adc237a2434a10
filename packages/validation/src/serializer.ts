// Output DTOs: a value written as JSON through its response schema, every field the schema does not
// name dropped at any depth. zod schemas get a compiled writer; other validators (or parts zod cannot
// describe statically: unions, transforms) are run through `validate`, whose output is field-filtered.
import { compilePlan } from './serializer-compile.js';
import { type PlanNode, planOf } from './serializer-plan.js';
import { writeValue } from './serializer-write.js';
import type { StandardSchemaV1 } from './standard-schema.js';

/** Writes a value as JSON through a response schema. */
export type Serializer<Value = unknown> = (value: Value) => string;

/** Options of {@link createSerializer}. */
export interface SerializerOptions {
  /** Generate a specialised function (default `true`); `false` interprets the plan (same output). */
  compile?: boolean;
}

/**
 * A serializer for a response schema: JSON with only the fields the schema names (a `passwordHash`
 * never leaves), Dates as ISO strings, bigints as strings of digits. A value of the wrong type throws
 * an ERR_VALIDATION_OUTPUT_MISMATCH error (a 500).
 *
 * @example
 * const writeUser = createSerializer(z.object({ id: z.string(), name: z.string() }));
 * writeUser({ id: '1', name: 'Ada', passwordHash: 'x' }); // '{"id":"1","name":"Ada"}'
 */
export function createSerializer<Schema extends StandardSchemaV1>(
  schema: Schema,
  options: SerializerOptions = {},
): Serializer<StandardSchemaV1.InferInput<Schema>> {
  const plan: PlanNode = planOf(schema);
  const compiled = options.compile === false ? undefined : compilePlan(plan);
  return compiled ?? ((value) => writeValue(plan, value, ''));
}

const serializers = new WeakMap<object, Serializer>();

/**
 * Writes `value` as JSON through `schema` (the serializer is compiled once per schema and cached).
 *
 * @example
 * return new Response(serialize(UserOut, user), { headers: { 'content-type': 'application/json' } });
 */
export function serialize<Schema extends StandardSchemaV1>(
  schema: Schema,
  value: StandardSchemaV1.InferInput<Schema>,
): string {
  let serializer = serializers.get(schema);
  if (serializer === undefined) {
    serializer = createSerializer(schema) as Serializer;
    serializers.set(schema, serializer);
  }
  return serializer(value);
}
