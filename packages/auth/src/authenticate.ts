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
  /** The principal of a verified token (a pure function of the claims: called once per token while the verifier's cache remembers it). Default `principalFromClaims`. */
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

// Whitespace String#trim removes is a control or space (≤ 32) or non-ASCII (≥ 127).
const trimmable = (code: number) => code <= 32 || code >= 127;

function bearerToken(authorization: string | undefined): string | undefined {
  if (authorization === undefined) return undefined;
  // RFC 6750 §2.1: the scheme is case-insensitive. The usual spelling is tested first, and the token
  // trimmed only when padded: regexes and lower-casing here cost ~4 µs on every first-seen token
  // (bench "token seen for the first time").
  if (!authorization.startsWith('Bearer ') && authorization.slice(0, 7).toLowerCase() !== 'bearer ')
    return undefined;
  const token = authorization.slice(7);
  return token !== '' && (trimmable(token.charCodeAt(0)) || trimmable(token.charCodeAt(token.length - 1)))
    ? token.trim()
    : token;
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

  // The verifier's cache hands back the same object for a token seen again, so the principal is kept
  // on it, under a key of this authenticator's own, and lives exactly as long as the cache entry
  // (bench "the same token again"); toPrincipal must therefore be a pure function of the claims. A
  // separate map (a WeakMap's ephemerons, or a Map's retained entries) slowed every first-seen token
  // through garbage collection (bench "token seen for the first time").
  const principalSlot = Symbol('principal');
  type Remembered = { [principalSlot]?: Principal };

  async function viaBearer(token: string): Promise<Principal> {
    try {
      const verified = await (options.bearer as Pick<TokenVerifier, 'verify'>).verify(token);
      const known = (verified as Remembered)[principalSlot];
      if (known !== undefined) return known;
      let made = toPrincipal(verified.payload);
      if (made instanceof Promise) made = await made;
      // No copy when the principal already says bearer (the default's does).
      const principal = withRoles(made.via === 'bearer' ? made : { ...made, via: 'bearer' }, options.rbac);
      if (Object.isExtensible(verified)) (verified as Remembered)[principalSlot] = principal;
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

  // Not async: the bearer path returns viaBearer's promise as it is (one async frame fewer per request).
  function find(view: RequestView): Principal | undefined | Promise<Principal | undefined> {
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
