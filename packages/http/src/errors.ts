// The one error type of @plinth/http: an HTTP status, whether its message may reach the client, and a
// stable `code` so `switch (error.code)` narrows. Registration mistakes use it too (status 500).

/** Every error code this package throws; each is listed in the README. */
export type HttpErrorCode =
  | 'ERR_HTTP_STATUS'
  | 'ERR_HTTP_INVALID_ROUTE'
  | 'ERR_HTTP_ROUTE_CONFLICT'
  | 'ERR_HTTP_INVALID_OPTIONS'
  | 'ERR_HTTP_NEXT_CALLED_TWICE'
  | 'ERR_HTTP_NO_RESPONSE'
  | 'ERR_HTTP_UNSAFE_REDIRECT'
  | 'ERR_HTTP_INVALID_COOKIE'
  | 'ERR_HTTP_BODY_CONSUMED'
  | 'ERR_HTTP_MALFORMED_URL'
  | 'ERR_HTTP_MALFORMED_BODY'
  | 'ERR_HTTP_INVALID_QUERY'
  | 'ERR_HTTP_BODY_TOO_LARGE'
  | 'ERR_HTTP_UNSUPPORTED_MEDIA_TYPE'
  | 'ERR_HTTP_NOT_FOUND'
  | 'ERR_HTTP_METHOD_NOT_ALLOWED';

/** Options of {@link HttpError}. */
export interface HttpErrorOptions {
  /** Machine-readable code; `ERR_HTTP_STATUS` when you throw one yourself. */
  code?: HttpErrorCode;
  /** Whether `message` may be sent to the client; defaults to `true` below 500, `false` from 500. */
  expose?: boolean;
  /** Headers the error response carries (e.g. `Allow`, `WWW-Authenticate`, `Retry-After`). */
  headers?: Record<string, string>;
  /** The underlying error, kept for logs and never sent to the client. */
  cause?: unknown;
}

/**
 * An error with an HTTP status. Thrown anywhere in a handler or middleware, it reaches `onError`, whose
 * default answers RFC 9457 `application/problem+json` with `detail` only when `expose` is true.
 *
 * @example
 * throw new HttpError(404, 'No user with this id');
 */
export class HttpError extends Error {
  /** The HTTP status code, 400–599. */
  readonly status: number;
  /** Whether `message` may reach the client. */
  readonly expose: boolean;
  /** Machine-readable code. */
  readonly code: HttpErrorCode;
  /** Headers the error response carries. */
  readonly headers: Record<string, string> | undefined;

  constructor(status: number, message?: string, options: HttpErrorOptions = {}) {
    super(message ?? statusTitle(status), options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'HttpError';
    this.status = Number.isInteger(status) && status >= 400 && status <= 599 ? status : 500;
    this.expose = options.expose ?? this.status < 500;
    this.code = options.code ?? 'ERR_HTTP_STATUS';
    this.headers = options.headers;
  }
}

/** Whether `value` is an {@link HttpError} (also across realms and duplicated installs). */
export function isHttpError(value: unknown): value is HttpError {
  return (
    value instanceof HttpError ||
    (value instanceof Error &&
      value.name === 'HttpError' &&
      typeof (value as { status?: unknown }).status === 'number' &&
      typeof (value as { code?: unknown }).code === 'string')
  );
}

const titles: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  408: 'Request Timeout',
  409: 'Conflict',
  410: 'Gone',
  411: 'Length Required',
  412: 'Precondition Failed',
  413: 'Content Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  416: 'Range Not Satisfiable',
  422: 'Unprocessable Content',
  428: 'Precondition Required',
  429: 'Too Many Requests',
  431: 'Request Header Fields Too Large',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/** The reason phrase of a status (RFC 9110 §15), used as the problem `title`. */
export function statusTitle(status: number): string {
  return titles[status] ?? (status >= 500 ? 'Server Error' : status >= 400 ? 'Client Error' : 'OK');
}

/** Internal: a 500-class error that reports a programming mistake, with a message saying what to fix. */
export function usageError(code: HttpErrorCode, message: string): HttpError {
  return new HttpError(500, message, { code, expose: false });
}
