// The errors @plinth/auth throws: one base class whose `reason` (ERR_AUTH_*) narrows in a `switch` and whose
// `code` is the wire code. Errors that end a request carry the http-errors shape (status, expose, code,
// headers) so every Plinth error handler answers them the same way.

/** The specific reason of every error this package throws (`error.reason`); each is listed in the README. */
export type AuthErrorReason =
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

/**
 * The wire code of each client failure (4xx): the same failure gets the same code whichever Plinth
 * package answers (a 401 without credentials is `UNAUTHORIZED`, as any generic 401), never `ERR_`-prefixed.
 */
const clientCodes = {
  ERR_AUTH_CREDENTIALS_MISSING: 'UNAUTHORIZED',
  ERR_AUTH_TOKEN_MALFORMED: 'TOKEN_INVALID',
  ERR_AUTH_TOKEN_TOO_LARGE: 'TOKEN_INVALID',
  ERR_AUTH_TOKEN_SIGNATURE: 'TOKEN_INVALID',
  ERR_AUTH_TOKEN_NOT_YET_VALID: 'TOKEN_INVALID',
  ERR_AUTH_TOKEN_CLAIM: 'TOKEN_INVALID',
  ERR_AUTH_ALGORITHM_REJECTED: 'TOKEN_INVALID',
  ERR_AUTH_HEADER_REJECTED: 'TOKEN_INVALID',
  ERR_AUTH_KEY_NOT_FOUND: 'TOKEN_INVALID',
  ERR_AUTH_JWE_REJECTED: 'TOKEN_INVALID',
  ERR_AUTH_TOKEN_EXPIRED: 'TOKEN_EXPIRED',
  ERR_AUTH_TOKEN_REVOKED: 'TOKEN_REVOKED',
  ERR_AUTH_API_KEY_INVALID: 'API_KEY_INVALID',
  ERR_AUTH_SESSION_INVALID: 'SESSION_INVALID',
  ERR_AUTH_REFRESH_INVALID: 'REFRESH_TOKEN_INVALID',
  ERR_AUTH_REFRESH_REUSED: 'REFRESH_TOKEN_REUSED',
  ERR_AUTH_OIDC_FAILED: 'OIDC_LOGIN_FAILED',
  ERR_AUTH_PASSWORD_TOO_LONG: 'PASSWORD_TOO_LONG',
  ERR_AUTH_FORBIDDEN: 'FORBIDDEN',
} as const satisfies Partial<Record<AuthErrorReason, string>>;

/** The codes a client can see on the wire (`code` of a 4xx AuthError). */
export type AuthClientCode = (typeof clientCodes)[keyof typeof clientCodes];

/**
 * `error.code`: the wire code for client failures (4xx, exposed), else the `ERR_AUTH_*` reason of a
 * programming, configuration or upstream error (5xx, never sent).
 */
export type AuthErrorCode = AuthClientCode | AuthErrorReason;

/** The base class of every error thrown by @plinth/auth; branch on `code`. */
export class AuthError extends Error {
  /**
   * The code the client sees for a 4xx (`UNAUTHORIZED`, `TOKEN_EXPIRED`, `FORBIDDEN` …, see the README);
   * for a 5xx the `ERR_AUTH_*` reason, which error handlers never send.
   */
  readonly code: AuthErrorCode;
  /** The specific reason, `ERR_AUTH_<WHAT>`, stable and unique: `switch (error.reason)` for logs and branching. */
  readonly reason: AuthErrorReason;
  /** The HTTP status this error answers with (401 for credentials, 403 for permissions, 500 for misuse). */
  readonly status: number;
  /** Whether the message may be shown to the client (SEAMS §B). */
  readonly expose: boolean;
  /** Response headers this error sends, e.g. `WWW-Authenticate`. */
  headers: Record<string, string>;

  constructor(
    reason: AuthErrorReason,
    message: string,
    options: { cause?: unknown; status?: number; headers?: Record<string, string> } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AuthError';
    this.reason = reason;
    this.status = options.status ?? 500;
    this.expose = this.status < 500;
    this.code = this.expose ? (clientCodes[reason as keyof typeof clientCodes] ?? reason) : reason;
    this.headers = options.headers ?? {};
  }
}

/** Credentials were missing or did not verify: answers 401 with a `WWW-Authenticate` challenge. */
export class UnauthenticatedError extends AuthError {
  constructor(reason: AuthErrorReason, message: string, options: { cause?: unknown } = {}) {
    super(reason, message, { ...options, status: 401 });
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

/** The option of the Express and Fastify middleware that can refuse a request. */
export interface ForwardErrorsOption {
  /**
   * Hand a refusal (a 401/403 `AuthError`) to the host's error handling instead of answering
   * problem+json here: Express `next(error)`, Fastify's error handler (the hook throws). `false` by
   * default, so the middleware works without an error handler; set it when the app has one (such as
   * @plinth/observability's) so every problem is answered one way. The fetch middleware always throw.
   */
  forwardErrors?: boolean;
}

/** Throws ERR_AUTH_INVALID_OPTION with a message saying what to write instead. */
export function invalidOption(message: string): never {
  throw new AuthError('ERR_AUTH_INVALID_OPTION', message);
}
