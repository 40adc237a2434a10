// The one error type of @plinth/http, an error of the http-errors convention: an HTTP status, whether
// its message may reach the client, a stable `code` so `switch (error.code)` narrows, and headers.
// Client failures carry the shared wire codes (`NOT_FOUND`, `MALFORMED_BODY` ...); programming
// mistakes carry `ERR_HTTP_*` codes and status 500, never shown to the client.
import { defaultCode, statusTitle } from './status.js';

/** Programming errors: status 500, not exposed; the code stays on the error for logs and `switch`. */
export type HttpUsageErrorCode =
  | 'ERR_HTTP_INVALID_ROUTE'
  | 'ERR_HTTP_ROUTE_CONFLICT'
  | 'ERR_HTTP_INVALID_OPTIONS'
  | 'ERR_HTTP_NEXT_CALLED_TWICE'
  | 'ERR_HTTP_NO_RESPONSE'
  | 'ERR_HTTP_UNSAFE_REDIRECT'
  | 'ERR_HTTP_INVALID_COOKIE'
  | 'ERR_HTTP_BODY_CONSUMED'
  | 'ERR_HTTP_RAW_BODY_UNAVAILABLE'
  | 'ERR_HTTP_NOT_MOUNTED';

/** Client failures, with the wire codes every Plinth package and host answers the same way. */
export type HttpWireCode =
  | 'MALFORMED_URL'
  | 'MALFORMED_BODY'
  | 'INVALID_QUERY'
  | 'CONTENT_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'NOT_FOUND'
  | 'METHOD_NOT_ALLOWED'
  | 'NOT_IMPLEMENTED';

/** Every error code this package throws; each is listed in the README. */
export type HttpErrorCode = HttpUsageErrorCode | HttpWireCode;

/** Options of {@link HttpError}. */
export interface HttpErrorOptions {
  /**
   * Machine-readable code sent as the problem `code` when exposed; one of ours or your own string.
   * Defaults to the status title in upper snake case (`404` → `NOT_FOUND`).
   */
  code?: HttpErrorCode | (string & {});
  /** Whether `message` may be sent to the client; defaults to `true` below 500, `false` from 500. */
  expose?: boolean;
  /** Headers the error response carries (e.g. `Allow`, `WWW-Authenticate`, `Retry-After`). */
  headers?: Record<string, string>;
  /** The underlying error, kept for logs and never sent to the client. */
  cause?: unknown;
}

// Symbol.for, not Symbol(): an HttpError from the ESM build must be recognised by the CJS build.
const brand = Symbol.for('@plinth/http.HttpError');

/**
 * An error with an HTTP status. Thrown anywhere in a handler or middleware, it reaches `onError`, whose
 * default answers RFC 9457 `application/problem+json` with `detail` only when `expose` is true. Any
 * error of the same shape (`status` or `statusCode`, `expose`, `code`, `headers`) is answered alike.
 *
 * @example
 * throw new HttpError(404, 'No user with this id');
 * throw new HttpError(409, 'This e-mail address is taken.', { code: 'EMAIL_TAKEN' });
 */
export class HttpError extends Error {
  /** The HTTP status code, 400–599. */
  readonly status: number;
  /** Whether `message` may reach the client. */
  readonly expose: boolean;
  /** Machine-readable code. */
  readonly code: HttpErrorCode | (string & {});
  /** Headers the error response carries. */
  readonly headers: Record<string, string> | undefined;

  constructor(status: number, message?: string, options: HttpErrorOptions = {}) {
    super(message ?? statusTitle(status), options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'HttpError';
    this.status = Number.isInteger(status) && status >= 400 && status <= 599 ? status : 500;
    this.expose = options.expose ?? this.status < 500;
    this.code = options.code ?? defaultCode(this.status);
    this.headers = options.headers;
  }

  static {
    Object.defineProperty(HttpError.prototype, brand, { value: true });
  }
}

/** Whether `value` is an {@link HttpError} of this package (also from its other build, ESM or CJS). */
export function isHttpError(value: unknown): value is HttpError {
  return (
    value instanceof HttpError ||
    (typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[brand] === true)
  );
}

/** Internal: a 500-class error that reports a programming mistake, with a message saying what to fix. */
export function usageError(code: HttpUsageErrorCode, message: string): HttpError {
  return new HttpError(500, message, { code, expose: false });
}
