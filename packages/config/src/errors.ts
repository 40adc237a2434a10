// The errors @plinth/config throws: one class, `ConfigError`, whose `code` says what went wrong.

/** Every code a {@link ConfigError} can carry; `switch (error.code)` narrows on it. */
export type ConfigErrorCode =
  | 'ERR_CONFIG_INVALID'
  | 'ERR_CONFIG_SOURCE'
  | 'ERR_CONFIG_ASYNC'
  | 'ERR_CONFIG_DEFINITION'
  | 'ERR_CONFIG_FILE_TOO_LARGE'
  | 'ERR_CONFIG_NOT_A_FILE';

/** Every code, in the order the README lists them. */
export const configErrorCodes: readonly ConfigErrorCode[] = [
  'ERR_CONFIG_INVALID',
  'ERR_CONFIG_SOURCE',
  'ERR_CONFIG_ASYNC',
  'ERR_CONFIG_DEFINITION',
  'ERR_CONFIG_FILE_TOO_LARGE',
  'ERR_CONFIG_NOT_A_FILE',
];

/** What was wrong with one variable: missing, not coercible, or rejected by the schema. */
export interface ConfigIssue {
  /** The variable name, e.g. `DATABASE_URL`; `''` for an issue about the whole configuration. */
  readonly key: string;
  /** `missing` when no source set it, `invalid` when its value was rejected. */
  readonly kind: 'missing' | 'invalid';
  /** What the variable should hold, e.g. `integer`, `URL`, `one of debug | info`. */
  readonly expected: string;
  /** What went wrong, without the value for secrets. */
  readonly message: string;
  /** The source that set the value (`environment`, `.env.local`, `DB_PASSWORD_FILE` ...), if set. */
  readonly source?: string | undefined;
  /** The received value, truncated; always `undefined` for secrets. */
  readonly received?: string | undefined;
  /** Whether the variable is a secret (its value is never shown). */
  readonly secret: boolean;
}

/** The one error @plinth/config throws; `ERR_CONFIG_INVALID` carries every problem at once in `issues`. */
export class ConfigError extends Error {
  /** What went wrong, as a stable code. */
  readonly code: ConfigErrorCode;
  /**
   * Every missing or invalid variable (`ERR_CONFIG_INVALID`); empty for the other codes. Not
   * enumerable, so an uncaught ConfigError prints the message once, not the list twice.
   */
  declare readonly issues: readonly ConfigIssue[];

  constructor(
    code: ConfigErrorCode,
    message: string,
    options: { issues?: readonly ConfigIssue[]; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ConfigError';
    this.code = code;
    Object.defineProperty(this, 'issues', { value: options.issues ?? [], enumerable: false });
  }
}

/** Whether a value is a {@link ConfigError}, across copies of the package (ESM and CJS). */
export function isConfigError(value: unknown): value is ConfigError {
  return (
    value instanceof ConfigError ||
    (value instanceof Error &&
      value.name === 'ConfigError' &&
      configErrorCodes.includes((value as { code?: unknown }).code as ConfigErrorCode))
  );
}
