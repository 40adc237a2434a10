// The errors @plinth/auth throws: one base class whose `code` narrows in a `switch`. Errors that end a
// request carry the http-errors shape (status, expose, headers) so every Plinth error handler answers them.

/** Every error code this package can throw; each is listed in the README. */
export type AuthErrorCode =
  | 'ERR_AUTH_INVALID_OPTION'
  | 'ERR_AUTH_CREDENTIALS_MISSING'
  | 'ERR_AUTH_TOKEN_MALFORMED'
  | 'ERR_AUTH_TOKEN_TOO_LARGE'
  | 'ERR_AUTH_TOKEN_SIGNATURE'
  | 'ERR_AUTH_TOKEN_EXPIRED'
  | 'ERR_AUTH_TOKEN_NOT_YET_VALID'
  | 'ERR_AUTH_TOKEN_CLAIM'
  | 'ERR_AUTH_TOKEN_REVOKED'
  | 'ERR_AUTH_ALGORITHM_REJECTED'
  | 'ERR_AUTH_HEADER_REJECTED'
  | 'ERR_AUTH_KEY_NOT_FOUND'
  | 'ERR_AUTH_JWKS_UNAVAILABLE'
  | 'ERR_AUTH_JWE_REJECTED'
  | 'ERR_AUTH_PASSWORD_TOO_LONG'
  | 'ERR_AUTH_PASSWORD_HASH_MALFORMED'
  | 'ERR_AUTH_API_KEY_INVALID'
  | 'ERR_AUTH_REFRESH_INVALID'
  | 'ERR_AUTH_REFRESH_REUSED'
  | 'ERR_AUTH_SESSION_INVALID'
  | 'ERR_AUTH_FORBIDDEN'
  | 'ERR_AUTH_POLICY_INVALID'
  | 'ERR_AUTH_OIDC_FAILED';

/** The base class of every error thrown by @plinth/auth; branch on `code`. */
export class AuthError extends Error {
  /** A stable, unique code: `ERR_AUTH_<WHAT>`. */
  readonly code: AuthErrorCode;
  /** The HTTP status this error answers with (401 for credentials, 403 for permissions, 500 for misuse). */
  readonly status: number;
  /** Whether the message may be shown to the client (SEAMS §B). */
  readonly expose: boolean;
  /** Response headers this error sends, e.g. `WWW-Authenticate`. */
  headers: Record<string, string>;

  constructor(
    code: AuthErrorCode,
    message: string,
    options: { cause?: unknown; status?: number; headers?: Record<string, string> } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AuthError';
    this.code = code;
    this.status = options.status ?? 500;
    this.expose = this.status < 500;
    this.headers = options.headers ?? {};
  }
}

/** Credentials were missing or did not verify: answers 401 with a `WWW-Authenticate` challenge. */
export class UnauthenticatedError extends AuthError {
  constructor(code: AuthErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(code, message, { ...options, status: 401 });
    this.name = 'UnauthenticatedError';
  }
}

/** The principal may not do this: answers 403. `explanation` says which rule or condition denied. */
export class ForbiddenError extends AuthError {
  /** Why the check was denied, as `explain()` tells it. */
  readonly explanation: string;

  constructor(message: string, explanation: string) {
    super('ERR_AUTH_FORBIDDEN', message, { status: 403 });
    this.name = 'ForbiddenError';
    this.explanation = explanation;
  }
}

/** Throws ERR_AUTH_INVALID_OPTION with a message saying what to write instead. */
export function invalidOption(message: string): never {
  throw new AuthError('ERR_AUTH_INVALID_OPTION', message);
}
