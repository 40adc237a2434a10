// The errors @plinth/services throws itself (programming and infrastructure errors): one base class
// whose `code` narrows in a `switch`. Expected business failures are DomainErrors (domain-error.ts).

/** Every error code this package can throw; each is listed in the README. */
export type ServicesErrorCode =
  | 'ERR_SERVICES_INVALID_OPTION'
  | 'ERR_SERVICES_NO_TRANSACTION'
  | 'ERR_SERVICES_TRANSACTION_EXISTS'
  | 'ERR_SERVICES_ROLLBACK_ONLY'
  | 'ERR_SERVICES_UNSUPPORTED_PROPAGATION'
  | 'ERR_SERVICES_EVENT_HANDLER'
  | 'ERR_SERVICES_SINK_TIMEOUT'
  | 'ERR_SERVICES_IDEMPOTENCY_IN_PROGRESS'
  | 'ERR_SERVICES_IDEMPOTENCY_KEY_REUSED'
  | 'ERR_SERVICES_RESULT_NOT_SERIALIZABLE';

/** The base class of every error thrown by @plinth/services; branch on `code`. */
export class ServicesError extends Error {
  /** A stable, unique code: `ERR_SERVICES_<WHAT>`. */
  readonly code: ServicesErrorCode;
  /** An HTTP status when the error is the client's to fix (the http-errors convention), else absent. */
  readonly status?: number;
  /** Whether the message may be shown to the client (http-errors convention). */
  readonly expose?: boolean;

  constructor(code: ServicesErrorCode, message: string, options?: { cause?: unknown; status?: number }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ServicesError';
    this.code = code;
    if (options?.status !== undefined) {
      this.status = options.status;
      this.expose = options.status < 500;
    }
  }
}

/** Throws an ERR_SERVICES_INVALID_OPTION error unless `value` is a finite number ≥ `min`. */
export function assertNumber(option: string, value: unknown, min = 0): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min) {
    throw new ServicesError(
      'ERR_SERVICES_INVALID_OPTION',
      `${option} must be a finite number ≥ ${min}, got ${String(value)}.`,
    );
  }
}
