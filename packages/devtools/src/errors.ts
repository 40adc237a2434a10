// The errors @plinth/devtools throws: one base class whose `code` narrows in a `switch`.

/** Every error code this package can throw; each is listed in the README. */
export type DevtoolsErrorCode =
  | 'ERR_DEVTOOLS_INVALID_OPTION'
  | 'ERR_DEVTOOLS_INVALID_ROUTE'
  | 'ERR_DEVTOOLS_SCHEMA_UNSUPPORTED'
  | 'ERR_DEVTOOLS_SCHEMA_CONFLICT'
  | 'ERR_DEVTOOLS_DUPLICATE_OPERATION'
  | 'ERR_DEVTOOLS_UNKNOWN_SECURITY_SCHEME'
  | 'ERR_DEVTOOLS_DOCS_ASSETS_MISSING'
  | 'ERR_DEVTOOLS_APP_MODULE'
  | 'ERR_DEVTOOLS_PROFILER_BUSY';

/** The base class of every error thrown by @plinth/devtools; branch on `code`. */
export class DevtoolsError extends Error {
  /** A stable, unique code: `ERR_DEVTOOLS_<WHAT>`. */
  readonly code: DevtoolsErrorCode;

  constructor(code: DevtoolsErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DevtoolsError';
    this.code = code;
  }
}

/** Throws ERR_DEVTOOLS_INVALID_OPTION unless `value` is a finite number ≥ 0. */
export function assertNonNegative(option: string, value: unknown): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new DevtoolsError(
      'ERR_DEVTOOLS_INVALID_OPTION',
      `${option} must be a finite number ≥ 0, got ${String(value)}.`,
    );
  }
}
