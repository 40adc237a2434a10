// `env.number()`, `env.duration()` ...: declare how a variable's string is coerced. Wrap a schema of
// any validator (`env.duration(z.number().max(60_000))`) to declare its kind, or call with options for
// a small Standard Schema of its own (`env.port({ default: 3000 })`), the envalid way.

import { coerceValue } from './coercion.js';
import { type CoercionKind, describeKind } from './coercion-kind.js';
import { markSchema } from './schema-marks.js';
import { isStandardSchema, type StandardSchemaV1 } from './standard-schema.js';

/** Options of a standalone helper schema. */
export interface EnvOptions<T> {
  /** The value when the variable is unset. */
  readonly default?: T;
  /** Allow the variable to be unset (the value is then `undefined`). */
  readonly optional?: boolean;
  /** A description for `.env.example` and error messages. */
  readonly description?: string;
  /** Treat the value as a secret. */
  readonly secret?: boolean;
}

/** Options of `env.list()`. */
export interface ListOptions<T> extends EnvOptions<T> {
  /** The item separator (default `,`). */
  readonly separator?: string;
}

/** The output of a standalone helper schema given its options. */
export type EnvOutput<T, O> = O extends { readonly default: unknown }
  ? T
  : O extends { readonly optional: true }
    ? T | undefined
    : T;

/** A Standard Schema produced by an `env.*()` helper. */
export type EnvSchema<T> = StandardSchemaV1<string | T | undefined, T>;

/** A helper: wraps a schema to declare its kind, or makes a standalone schema from options. */
export interface EnvHelper<T, O extends EnvOptions<T> = EnvOptions<T>> {
  /** Declares that the wrapped schema's variable is coerced to this kind; returns the same schema. */
  <S extends StandardSchemaV1>(schema: S, options?: { readonly separator?: string }): S;
  /** A Standard Schema of its own that coerces and checks this kind. */
  <const Options extends O = O & {}>(options?: Options): EnvSchema<EnvOutput<T, Options>>;
}

function accepts(kind: CoercionKind, value: unknown): boolean {
  switch (kind) {
    case 'string':
      return typeof value === 'string';
    case 'url':
      return typeof value === 'string' && URL.canParse(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'list':
      return Array.isArray(value);
    case 'json':
      return true;
    case 'port':
      return Number.isInteger(value) && (value as number) >= 0 && (value as number) <= 65_535;
    case 'integer':
      return Number.isInteger(value);
    default:
      return typeof value === 'number' && Number.isFinite(value);
  }
}

function standalone<T>(kind: CoercionKind, options: ListOptions<T>): EnvSchema<T> {
  const expected = describeKind(kind, 'string', options.separator);
  const schema: EnvSchema<T> = {
    '~standard': {
      version: 1,
      vendor: 'plinth-config',
      validate(value: unknown): StandardSchemaV1.Result<T> {
        if (value === undefined) {
          if ('default' in options) return { value: options.default as T };
          if (options.optional === true) return { value: undefined as T };
          return { issues: [{ message: `Required: expected ${expected}` }] };
        }
        let candidate: unknown = value;
        if (typeof value === 'string' && kind !== 'string') {
          const coerced = coerceValue(kind, value, 'string', options.separator);
          if (!coerced.ok) return { issues: [{ message: `Expected ${expected}: ${coerced.reason}` }] };
          candidate = coerced.value;
        }
        if (!accepts(kind, candidate)) return { issues: [{ message: `Expected ${expected}` }] };
        return { value: candidate as T };
      },
    },
  };
  return markSchema(schema, {
    kind,
    ...(options.separator === undefined ? {} : { separator: options.separator }),
    ...(options.secret === true ? { secret: true } : {}),
    ...(options.description === undefined ? {} : { description: options.description }),
    ...('default' in options ? { defaultValue: { value: options.default } } : {}),
  });
}

function helper<T, O extends EnvOptions<T> = EnvOptions<T>>(kind: CoercionKind): EnvHelper<T, O> {
  function create(first?: unknown, second?: { readonly separator?: string }): unknown {
    if (isStandardSchema(first)) {
      const separator = second?.separator;
      return markSchema(first, separator === undefined ? { kind } : { kind, separator });
    }
    return standalone<T>(kind, (first ?? {}) as ListOptions<T>);
  }
  return create as EnvHelper<T, O>;
}

/**
 * Coercion helpers. With zod, most variables need none: `z.number()`, `z.boolean()`, `z.array()` and
 * `z.object()` are coerced from their JSON Schema. Use `env.duration()`, `env.port()` ... where the
 * type alone does not say how to read the string, or with validators that have no JSON Schema.
 *
 * @example
 * z.object({
 *   TIMEOUT: env.duration(z.number().max(60_000)).default(30_000), // "30s" → 30000
 *   ORIGINS: env.list(z.array(z.url())),                           // "https://a,https://b"
 * });
 * // or, without zod:
 * loadConfig({ schema: { PORT: env.port({ default: 3000 }), DEBUG: env.boolean({ default: false }) } });
 */
export const env = {
  /** A string, unchanged. */
  string: helper<string>('string'),
  /** A finite decimal number (`1.5`, `-2`, `1e3`). */
  number: helper<number>('number'),
  /** An integer. */
  integer: helper<number>('integer'),
  /** A TCP port, an integer from 0 to 65535 (0 asks the system for a free port). */
  port: helper<number>('port'),
  /** `true/false`, `1/0`, `yes/no`, `on/off`, case-insensitive. */
  boolean: helper<boolean>('boolean'),
  /** An absolute URL, kept as the string given (a `URL` object could not be frozen). */
  url: helper<string>('url'),
  /** A duration in milliseconds from `250ms`, `30s`, `5m`, `1h30m`, `2d` or a plain number of ms. */
  duration: helper<number>('duration'),
  /** A list split on `,` (or `separator`), items trimmed, empty items dropped. */
  list: helper<string[], ListOptions<string[]>>('list'),
  /** A JSON value. */
  json: helper<unknown>('json'),
};
