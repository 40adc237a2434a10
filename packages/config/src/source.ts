// The seam a user can re-implement: a source of raw configuration strings (a vault, a parameter
// store, a remote file). Built-in sources: the process environment, .env files, secret files.

/** Raw values as a source holds them: name → string, `undefined` meaning "not set here". */
export type ConfigValues = Readonly<Record<string, string | undefined>>;

/**
 * Where configuration values come from.
 *
 * Contract: `load(keys)` is called once per load, returns the values the source holds as strings
 * (names as in the environment, e.g. `DB_PASSWORD`) — all of them, or only those in `keys` when the
 * loader knows the schema's variable names — and throws (or rejects) when the source cannot
 * be read — the loader wraps that in a `ConfigError` with code `ERR_CONFIG_SOURCE`. A source that
 * returns a Promise can only be used with `loadConfigAsync`. Values from a source marked
 * `secret: true` are treated as secrets (never printed, redacted when serialized). Bound any
 * network wait inside `load()` yourself (e.g. `AbortSignal.timeout`).
 *
 * @example
 * const vault: ConfigSource = {
 *   name: 'vault',
 *   secret: true,
 *   async load() {
 *     const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
 *     return (await response.json()).data;
 *   },
 * };
 */
export interface ConfigSource {
  /** A short name shown in error messages, e.g. `vault` or `.env.production`. */
  readonly name: string;
  /**
   * Returns the values this source holds; may be async (then use `loadConfigAsync`).
   * @param keys - the variable names the schema declares, when known; a source may fetch only these.
   */
  load(keys?: readonly string[]): ConfigValues | Promise<ConfigValues>;
  /** When true, every value from this source is treated as a secret. */
  readonly secret?: boolean;
}
