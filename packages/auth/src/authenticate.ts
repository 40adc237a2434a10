// Authentication, framework-free: find the credentials (bearer token, API key header, session cookie),
// verify them, and answer a Principal — or an UnauthenticatedError carrying an RFC 6750 challenge.

import type { RequestView } from './context.js';
import { readCookie } from './cookies.js';
import { AuthError, invalidOption, UnauthenticatedError } from './errors.js';
import { type Principal, principalFromClaims } from './principal.js';
import type { Rbac } from './rbac.js';
import type { TokenVerifier } from './token-verifier.js';

type Maybe<T> = T | undefined | Promise<T | undefined>;

/** Options of the `authenticate` middleware of every adapter. */
export interface AuthenticateOptions {
  /** Accept `Authorization: Bearer <jwt>` verified by this verifier. */
  bearer?: Pick<TokenVerifier, 'verify'>;
  /** The principal of a verified token (a pure function of the claims: called once per token). Default `principalFromClaims`. */
  toPrincipal?: (claims: Readonly<Record<string, unknown>>) => Principal | Promise<Principal>;
  /** Accept an API key in a header (default `x-api-key`); `verify` answers its principal or undefined. */
  apiKey?: { header?: string; verify(key: string): Maybe<Principal> };
  /** Accept a session cookie; `verify` answers its principal or undefined (see `createSessions`). */
  cookie?: { name: string; verify(value: string): Maybe<Principal> };
  /** Add the permissions of the principal's roles. */
  rbac?: Rbac;
  /** Let requests without credentials through with no principal (invalid credentials still fail). Default false. */
  optional?: boolean;
  /** The realm of the challenge. Default "api". */
  realm?: string;
}

/** Internal: the compiled authenticator the adapters call. */
export interface Authenticator {
  authenticate(view: RequestView): Promise<Principal | undefined>;
  /** A 401 for a request that reached a guard without credentials. */
  missing(): UnauthenticatedError;
}

// RFC 6750 §3: error_description is %x20-21 / %x23-5B / %x5D-7E, so no quote or backslash.
const quoted = (text: string) => text.replace(/["\\]/g, "'").replace(/[^\x20-\x7e]/g, '');

function challengeOf(
  options: AuthenticateOptions,
  realm: string,
  error?: { code: string; description: string },
): string {
  const challenges: string[] = [];
  if (options.bearer) {
    challenges.push(
      error
        ? `Bearer realm="${realm}", error="${error.code}", error_description="${quoted(error.description)}"`
        : `Bearer realm="${realm}"`,
    );
  }
  if (options.apiKey)
    challenges.push(`ApiKey realm="${realm}", header="${options.apiKey.header ?? 'x-api-key'}"`);
  if (options.cookie) challenges.push(`Cookie realm="${realm}", cookie="${options.cookie.name}"`);
  return challenges.join(', ');
}

function withRoles(principal: Principal, rbac: Rbac | undefined): Principal {
  if (rbac === undefined || principal.roles.length === 0) return principal;
  return {
    ...principal,
    permissions: [...new Set([...principal.permissions, ...rbac.permissionsOf(principal.roles)])],
  };
}

function bearerToken(authorization: string | undefined): string | undefined {
  if (authorization === undefined || authorization.length < 7) return undefined;
  // RFC 6750 §2.1: the scheme is case-insensitive.
  if (authorization.slice(0, 7).toLowerCase() !== 'bearer ') return undefined;
  return authorization.slice(7).trim();
}

/** Internal: compiles the options once; adapters call `authenticate(view)` per request. */
export function createAuthenticator(options: AuthenticateOptions): Authenticator {
  if (!options.bearer && !options.apiKey && !options.cookie) {
    invalidOption('authenticate needs at least one of bearer, apiKey or cookie.');
  }
  const realm = quoted(options.realm ?? 'api');
  const toPrincipal = options.toPrincipal ?? principalFromClaims;
  const apiKeyHeader = options.apiKey?.header?.toLowerCase() ?? 'x-api-key';

  const refuse = (cause: unknown, fallback: string): never => {
    const error =
      cause instanceof UnauthenticatedError
        ? cause
        : new UnauthenticatedError('ERR_AUTH_CREDENTIALS_MISSING', fallback, { cause });
    if (cause instanceof AuthError && cause.status >= 500) throw cause;
    error.headers = {
      'www-authenticate': challengeOf(options, realm, { code: 'invalid_token', description: error.message }),
    };
    throw error;
  };

  // A cached verification hands back the same payload object, so its principal is reused too
  // (bench "the same token again"); toPrincipal must therefore be a pure function of the claims.
  const principals = new WeakMap<object, Principal>();

  async function viaBearer(token: string): Promise<Principal> {
    try {
      const { payload } = await (options.bearer as Pick<TokenVerifier, 'verify'>).verify(token);
      const known = principals.get(payload);
      if (known !== undefined) return known;
      const principal = withRoles({ ...(await toPrincipal(payload)), via: 'bearer' }, options.rbac);
      principals.set(payload, principal);
      return principal;
    } catch (error) {
      return refuse(error, 'The access token was not accepted.');
    }
  }

  async function viaVerify(
    value: string,
    verify: (value: string) => Maybe<Principal>,
    via: Principal['via'],
    what: string,
  ): Promise<Principal> {
    let principal: Principal | undefined;
    try {
      principal = await verify(value);
    } catch (error) {
      if (error instanceof AuthError && error.status >= 500) throw error;
      principal = undefined;
    }
    if (principal === undefined) {
      refuse(
        new UnauthenticatedError(
          via === 'api-key' ? 'ERR_AUTH_API_KEY_INVALID' : 'ERR_AUTH_SESSION_INVALID',
          `The ${what} was not accepted.`,
        ),
        '',
      );
    }
    return { ...(principal as Principal), via };
  }

  async function find(view: RequestView): Promise<Principal | undefined> {
    if (options.bearer) {
      const authorization = view.header('authorization');
      const token = bearerToken(authorization);
      if (token !== undefined) {
        if (token === '')
          refuse(new UnauthenticatedError('ERR_AUTH_TOKEN_MALFORMED', 'The bearer token is empty.'), '');
        return viaBearer(token);
      }
    }
    if (options.apiKey) {
      const key = view.header(apiKeyHeader);
      if (key !== undefined && key !== '') return viaVerify(key, options.apiKey.verify, 'api-key', 'API key');
    }
    if (options.cookie) {
      const value = readCookie(view.header('cookie'), options.cookie.name);
      if (value !== undefined && value !== '')
        return viaVerify(value, options.cookie.verify, 'cookie', 'session');
    }
    return undefined;
  }

  const missing = () => {
    const error = new UnauthenticatedError(
      'ERR_AUTH_CREDENTIALS_MISSING',
      'Authentication is required: send credentials.',
    );
    error.headers = { 'www-authenticate': challengeOf(options, realm) };
    return error;
  };

  return {
    async authenticate(view) {
      const principal = await find(view);
      if (principal === undefined) {
        if (options.optional === true) return undefined;
        throw missing();
      }
      return principal.via === 'bearer' ? principal : withRoles(principal, options.rbac);
    },
    missing,
  };
}
