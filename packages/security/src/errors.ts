// The errors @plinth/security throws: a base class whose `code` narrows in a `switch`, and the HTTP
// errors (the shared http-errors shape) its middleware answers with.

/** Every programming/configuration error code of this package; each is listed in the README. */
export type SecurityErrorCode =
  | 'ERR_SECURITY_INVALID_OPTION'
  | 'ERR_SECURITY_INSECURE_CORS'
  | 'ERR_SECURITY_PROXY_MISCONFIGURED'
  | 'ERR_SECURITY_STORE_UNAVAILABLE';

/** The code an HTTP error of this package carries on the wire (problem+json `code`). */
export type SecurityWireCode =
  | 'TOO_MANY_REQUESTS'
  | 'RATE_LIMIT_UNAVAILABLE'
  | 'CSRF_ORIGIN_REJECTED'
  | 'CSRF_TOKEN_INVALID';

/** The base class of every configuration or store error thrown by @plinth/security; branch on `code`. */
export class SecurityError extends Error {
  /** A stable, unique code: `ERR_SECURITY_<WHAT>`. */
  readonly code: SecurityErrorCode;

  constructor(code: SecurityErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SecurityError';
    this.code = code;
  }
}

/** An HTTP error in the shared shape (status, expose, code, headers): every Plinth error handler answers it. */
export class SecurityHttpError extends Error {
  /** The HTTP status (403, 429, 503). */
  readonly status: number;
  /** Always true: the detail is safe to send. */
  readonly expose = true;
  /** The wire code, e.g. `TOO_MANY_REQUESTS`. */
  readonly code: SecurityWireCode;
  /** Headers the answer must carry (Retry-After, RateLimit, RateLimit-Policy). */
  readonly headers: Record<string, string>;

  constructor(status: number, code: SecurityWireCode, message: string, headers: Record<string, string> = {}) {
    super(message);
    this.name = 'SecurityHttpError';
    this.status = status;
    this.code = code;
    this.headers = headers;
  }
}

/** The option every Express and Fastify middleware that can refuse a request takes. */
export interface ForwardErrorsOption {
  /**
   * Hand a refusal (a `SecurityHttpError`) to the host's error handling instead of answering
   * problem+json here: Express `next(error)`, Fastify's error handler (the hook throws). `false` by
   * default, so the middleware works without an error handler; set it when the app has one (such as
   * @plinth/observability's) so every problem is answered one way. The fetch middleware always throw.
   */
  forwardErrors?: boolean;
}

/** Throws ERR_SECURITY_INVALID_OPTION unless `value` is a finite number ≥ `min`. */
export function assertNumber(option: string, value: unknown, min = 0): asserts value is number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min) {
    throw new SecurityError(
      'ERR_SECURITY_INVALID_OPTION',
      `${option} must be a finite number ≥ ${min}, got ${String(value)}.`,
    );
  }
}

/** Throws ERR_SECURITY_INVALID_OPTION with `message`. */
export function invalidOption(message: string): never {
  throw new SecurityError('ERR_SECURITY_INVALID_OPTION', message);
}
