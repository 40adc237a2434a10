// Input and output variants of one object schema: fields the server sets (`id`, `createdAt`) are absent
// from the input, fields the client sends but never gets back (`password`) are absent from the output.
import { ValidationError } from './errors.js';
import { createSerializer, type Serializer } from './serializer.js';
import type { StandardSchemaV1 } from './standard-schema.js';

/** An object schema that can drop members: zod's `z.object()` (`shape` and `omit`). */
export interface OmittableSchema extends StandardSchemaV1 {
  /** The members by name. */
  readonly shape: Readonly<Record<string, unknown>>;
  /** The same schema without the members named in `mask`. */
  omit(mask: Record<string, true>): StandardSchemaV1;
}

/** Options of {@link defineDto}: member names, besides those marked `.meta({ readOnly | writeOnly: true })`. */
export interface DtoOptions<ReadOnly extends string, WriteOnly extends string> {
  /** Set by the server, absent from the input (`id`, `createdAt`). */
  readOnly?: readonly ReadOnly[];
  /** Sent by the client, absent from the output (`password`). */
  writeOnly?: readonly WriteOnly[];
}

type Without<Value, Keys extends PropertyKey> = Value extends object ? Omit<Value, Keys> : Value;

/** The two variants of one schema, and a serializer of the output. */
export interface Dto<Schema extends StandardSchemaV1, ReadOnly extends string, WriteOnly extends string> {
  /** The whole schema. */
  readonly schema: Schema;
  /** What a request sends: without the read-only members. */
  readonly input: StandardSchemaV1<
    Without<StandardSchemaV1.InferInput<Schema>, ReadOnly>,
    Without<StandardSchemaV1.InferOutput<Schema>, ReadOnly>
  >;
  /** What a response carries: without the write-only members. */
  readonly output: StandardSchemaV1<
    Without<StandardSchemaV1.InferInput<Schema>, WriteOnly>,
    Without<StandardSchemaV1.InferOutput<Schema>, WriteOnly>
  >;
  /** Writes a value through `output` (unknown and write-only fields dropped). */
  readonly serialize: Serializer<Without<StandardSchemaV1.InferInput<Schema>, WriteOnly>>;
}

function isOmittable(schema: unknown): schema is OmittableSchema {
  const candidate = schema as Partial<OmittableSchema> | null;
  return typeof candidate?.omit === 'function' && typeof candidate.shape === 'object';
}

function markedMembers(schema: OmittableSchema, flag: 'readOnly' | 'writeOnly'): string[] {
  const names: string[] = [];
  for (const [name, member] of Object.entries(schema.shape)) {
    // zod 4: `.meta()` with no argument answers the member's metadata.
    const meta = (member as { meta?: () => unknown }).meta;
    const data =
      typeof meta === 'function' ? (meta.call(member) as Record<string, unknown> | undefined) : undefined;
    if (data?.[flag] === true) names.push(name);
  }
  return names;
}

function without(schema: OmittableSchema, names: readonly string[], option: string): StandardSchemaV1 {
  if (names.length === 0) return schema;
  const unknown = names.filter((name) => !Object.hasOwn(schema.shape, name));
  if (unknown.length > 0) {
    throw new ValidationError(
      'ERR_VALIDATION_INVALID_OPTION',
      `${option} names ${unknown.join(', ')}, which the schema does not declare; fix the name or add the member.`,
    );
  }
  return schema.omit(Object.fromEntries(names.map((name) => [name, true as const])));
}

/**
 * Input and output variants of one object schema, and a serializer of the output.
 *
 * @example
 * const User = defineDto(
 *   z.object({ id: z.uuid(), email: z.email(), password: z.string().min(12), createdAt: z.date() }),
 *   { readOnly: ['id', 'createdAt'], writeOnly: ['password'] },
 * );
 * // User.input: { email, password }; User.output: { id, email, createdAt }
 */
export function defineDto<
  Schema extends StandardSchemaV1,
  ReadOnly extends string = never,
  WriteOnly extends string = never,
>(schema: Schema, options: DtoOptions<ReadOnly, WriteOnly> = {}): Dto<Schema, ReadOnly, WriteOnly> {
  if (!isOmittable(schema)) {
    throw new ValidationError(
      'ERR_VALIDATION_UNSUPPORTED_SCHEMA',
      'defineDto needs an object schema with `shape` and `omit()` (zod); with valibot, build the variants with v.omit() and serialize with createSerializer().',
    );
  }
  const readOnly = [...new Set([...(options.readOnly ?? []), ...markedMembers(schema, 'readOnly')])];
  const writeOnly = [...new Set([...(options.writeOnly ?? []), ...markedMembers(schema, 'writeOnly')])];
  const input = without(schema, readOnly, 'readOnly');
  const output = without(schema, writeOnly, 'writeOnly');
  return {
    schema,
    input: input as Dto<Schema, ReadOnly, WriteOnly>['input'],
    output: output as Dto<Schema, ReadOnly, WriteOnly>['output'],
    serialize: createSerializer(output) as Dto<Schema, ReadOnly, WriteOnly>['serialize'],
  };
}
