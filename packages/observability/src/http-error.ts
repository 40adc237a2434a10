// The HTTP error model: an Error that knows its status, a stable machine code and what is safe to show.
// Its fields are the http-errors convention every Plinth package recognises (status, expose, code,
// headers, title, detail, errors), so any error handler answers it, not only this package's.
import { ObservabilityError } from './errors.js';
import { defaultCode, statusTitle } from './status.js';

/** One field-level problem, an item of the problem's `errors` member. */
export interface FieldError {
  /** RFC 6901 JSON Pointer to the field (`/items/0/name`; `/body/items/0/name` when the request part is known). */
  pointer?: string;
  /** What is wrong with this field, safe to show to the client. */
  message: string;
  /** A machine code for this field's problem (`too_small`, `invalid_type` ...). */
  code?: string;
}

/** Options of {@link HttpError} and its subclasses. */
export interface HttpErrorOptions {
  /** Stable machine code the client can branch on; defaults to one derived from the status (`NOT_FOUND`). */
  code?: string;
  /** Text for the problem's `detail`, instead of `message` (sent only when the error is exposed). */
  detail?: string;
  /** Whether `detail`, `message`, `errors` and `extensions` may reach the client; default `true` for 4xx, `false` for 5xx. */
  expose?: boolean;
  /** The error this one wraps; logged, never sent. */
  cause?: unknown;
  /** RFC 9457 `type` URI; defaults to the problem's `typeBase` + code, or `about:blank`. */
  type?: string;
  /** RFC 9457 `title`; defaults to the status phrase. */
  title?: string;
  /** Field-level errors, sent as `errors[]`. */
  errors?: readonly FieldError[];
  /** Extra members of the problem object (sent only when exposed). */
  extensions?: Record<string, unknown>;
  /** Response headers to send with this error (`WWW-Authenticate`, `Retry-After`, `Allow` ...). */
  headers?: Record<string, string>;
}

/** Options of the errors that carry a `Retry-After` (429 and 503). */
export interface RetryableErrorOptions extends HttpErrorOptions {
  /** Seconds to wait, or the date to retry at; sent as the `Retry-After` header (RFC 9110 §10.2.3). */
  retryAfter?: number | Date;
}

/** Options of {@link UnauthorizedError}. */
export interface UnauthorizedErrorOptions extends HttpErrorOptions {
  /** The `WWW-Authenticate` challenge RFC 9110 §15.5.2 requires with a 401, e.g. `Bearer realm="api"`. */
  challenge?: string;
}

// Marks HttpErrors of every copy of this package (the ESM and the CJS build can both be loaded).
const brand = Symbol.for('@plinth/observability.HttpError');

/**
 * An error that becomes an HTTP response: status, stable `code`, safe public message and `expose` flag.
 * @example
 * throw new HttpError(409, 'Order 42 was already paid', { code: 'ORDER_PAID' });
 */
export class HttpError extends Error {
  /** The HTTP status, 400–599. */
  readonly status: number;
  /** Stable machine code the client can branch on. */
  readonly code: string;
  /** Whether `detail` (else `message`), `errors` and `extensions` may be shown to the client. */
  readonly expose: boolean;
  /** Text for the problem's `detail`, if given (else `message` is used when exposed). */
  readonly detail: string | undefined;
  /** RFC 9457 `type`, if given. */
  readonly type: string | undefined;
  /** RFC 9457 `title`, if given. */
  readonly title: string | undefined;
  /** Field-level errors. */
  readonly errors: readonly FieldError[];
  /** Extra members of the problem object. */
  readonly extensions: Record<string, unknown>;
  /** Response headers that go with this error. */
  readonly headers: Record<string, string>;

  constructor(status: number, message?: string, options: HttpErrorOptions = {}) {
    if (!Number.isInteger(status) || status < 400 || status > 599) {
      throw new ObservabilityError(
        'ERR_OBSERVABILITY_INVALID_STATUS',
        `HttpError status must be an integer from 400 to 599, got ${String(status)}; use a 4xx for client mistakes and a 5xx for server faults.`,
      );
    }
    super(message ?? statusTitle(status), options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.status = status;
    this.code = options.code ?? defaultCode(status);
    this.expose = options.expose ?? status < 500;
    this.detail = options.detail;
    this.type = options.type;
    this.title = options.title;
    this.errors = options.errors ?? [];
    this.extensions = options.extensions ?? {};
    this.headers = options.headers ?? {};
  }

  /** Set on every HttpError, so one thrown by another copy of this package is still recognised. */
  get [brand](): true {
    return true;
  }

  /** Alias of `status`, for code written against http-errors and Node's `statusCode`. */
  get statusCode(): number {
    return this.status;
  }
}

/** 400 Bad Request: the request is malformed (unparseable body, bad query string). */
export class BadRequestError extends HttpError {
  constructor(message?: string, options?: HttpErrorOptions) {
    super(400, message, options);
  }
}

/** 401 Unauthorized: credentials are missing or wrong; pass `challenge` for the `WWW-Authenticate` header. */
export class UnauthorizedError extends HttpError {
  constructor(message?: string, options: UnauthorizedErrorOptions = {}) {
    const { challenge, ...rest } = options;
    super(401, message, withHeader(rest, 'www-authenticate', challenge));
  }
}

/** 403 Forbidden: the caller is known but may not do this. */
export class ForbiddenError extends HttpError {
  constructor(message?: string, options?: HttpErrorOptions) {
    super(403, message, options);
  }
}

/** 404 Not Found. */
export class NotFoundError extends HttpError {
  constructor(message?: string, options?: HttpErrorOptions) {
    super(404, message, options);
  }
}

/** 409 Conflict: the request clashes with the current state (duplicate key, stale version). */
export class ConflictError extends HttpError {
  constructor(message?: string, options?: HttpErrorOptions) {
    super(409, message, options);
  }
}

/** 422 Unprocessable Content: well-formed but invalid input; put the field errors in `errors`. */
export class ValidationError extends HttpError {
  constructor(message?: string, options?: HttpErrorOptions) {
    super(422, message ?? 'The request is invalid.', { code: 'VALIDATION_FAILED', ...options });
  }
}

/** 429 Too Many Requests, with `Retry-After` when `retryAfter` is given. */
export class TooManyRequestsError extends HttpError {
  constructor(message?: string, options: RetryableErrorOptions = {}) {
    const { retryAfter, ...rest } = options;
    super(429, message, withHeader(rest, 'retry-after', formatRetryAfter(retryAfter)));
  }
}

/** 503 Service Unavailable (a dependency is down, the server is draining), with optional `Retry-After`. */
export class ServiceUnavailableError extends HttpError {
  constructor(message?: string, options: RetryableErrorOptions = {}) {
    const { retryAfter, ...rest } = options;
    super(503, message, withHeader(rest, 'retry-after', formatRetryAfter(retryAfter)));
  }
}

/** Whether `value` is an {@link HttpError}, from this copy of the package or another (ESM and CJS builds). */
export function isHttpError(value: unknown): value is HttpError {
  return (
    value instanceof HttpError ||
    (typeof value === 'object' && value !== null && (value as { [brand]?: unknown })[brand] === true)
  );
}

function withHeader(options: HttpErrorOptions, name: string, value: string | undefined): HttpErrorOptions {
  if (value === undefined) return options;
  return { ...options, headers: { ...options.headers, [name]: value } };
}

// RFC 9110 §10.2.3: Retry-After = HTTP-date / delay-seconds (a non-negative integer).
function formatRetryAfter(retryAfter: number | Date | undefined): string | undefined {
  if (retryAfter === undefined) return undefined;
  if (retryAfter instanceof Date) return retryAfter.toUTCString();
  if (!Number.isFinite(retryAfter) || retryAfter < 0) {
    throw new ObservabilityError(
      'ERR_OBSERVABILITY_INVALID_OPTIONS',
      `retryAfter must be a non-negative number of seconds or a Date, got ${String(retryAfter)}.`,
    );
  }
  return String(Math.ceil(retryAfter));
}
