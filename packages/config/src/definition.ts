// What a user declares: the schema of the configuration and where its values come from.

import type { ConfigSource, ConfigValues } from './source.js';
import type { StandardSchemaV1 } from './standard-schema.js';

/** A record of Standard Schemas, one per variable (the envalid / t3-env style). */
export type ConfigShape = { readonly [key: string]: StandardSchemaV1 };

/** The schema of a configuration: one object schema (`z.object({...})`) or a record of schemas. */
export type ConfigSchema = StandardSchemaV1<unknown, object> | ConfigShape;

/** The validated output of a {@link ConfigSchema}. */
export type ConfigOutput<S extends ConfigSchema> = S extends StandardSchemaV1
  ? StandardSchemaV1.InferOutput<S>
  : { [K in keyof S]: S[K] extends StandardSchemaV1 ? StandardSchemaV1.InferOutput<S[K]> : never };

/** A deeply read-only view of a value, as the frozen configuration is. */
export type DeepReadonly<T> = T extends (...args: never[]) => unknown
  ? T
  : T extends ReadonlyArray<infer Item>
    ? ReadonlyArray<DeepReadonly<Item>>
    : T extends object
      ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
      : T;

/** The loaded configuration: typed from the schema, deeply frozen, secrets redacted when serialized. */
export type Config<S extends ConfigSchema> = DeepReadonly<ConfigOutput<S>>;

/** How a configuration is declared and where its values are read from. */
export interface ConfigDefinition<S extends ConfigSchema = ConfigSchema> {
  /** `z.object({...})` (any Standard Schema of an object) or a record of Standard Schemas. */
  readonly schema: S;
  /** The real environment, the strongest source; defaults to `process.env`. */
  readonly env?: ConfigValues;
  /** The directory holding the .env files; defaults to `process.cwd()`. */
  readonly cwd?: string;
  /**
   * Which .env files to read: `true` (default) for `.env`, `.env.local`, `.env.<NODE_ENV>`,
   * `.env.<NODE_ENV>.local` (no `.env.local` when NODE_ENV is `test`), `false` for none, or a list of
   * paths relative to `cwd`, later ones winning.
   */
  readonly envFiles?: boolean | readonly string[];
  /** The NODE_ENV that picks the .env files; defaults to `NODE_ENV` of `env`. */
  readonly nodeEnv?: string;
  /** A directory of secret files (`/run/secrets`): `db_password` → `DB_PASSWORD`. Off by default. */
  readonly secretsDir?: string;
  /** Extra sources (a vault ...), above files and secrets directory, below the real environment. */
  readonly sources?: readonly ConfigSource[];
  /** Variable names to treat as secrets, in addition to those marked with `secret()`. */
  readonly secrets?: readonly string[];
  /** Descriptions per variable for `.env.example` and error messages, overriding the schema's. */
  readonly describe?: Readonly<Record<string, string>>;
  /** Treat empty strings as unset, so defaults apply (default `true`). */
  readonly emptyAsUnset?: boolean;
  /**
   * The largest .env or secret file (`NAME_FILE`, a file of `secretsDir`) read, in bytes; default
   * 1 MiB. A larger file (or /dev/zero) fails with `ERR_CONFIG_FILE_TOO_LARGE`; a FIFO or socket is
   * refused with `ERR_CONFIG_NOT_A_FILE` whatever the limit.
   */
  readonly maxFileSize?: number;
}

/**
 * Declares a configuration without loading it, so a module can export it for `loadConfig`, tests and
 * the `plinth-config example` CLI.
 *
 * @example
 * export const definition = defineConfig({ schema: z.object({ PORT: z.number().default(3000) }) });
 * export const config = loadConfig(definition);
 */
export function defineConfig<const S extends ConfigSchema>(
  definition: ConfigDefinition<S>,
): ConfigDefinition<S> {
  return definition;
}
