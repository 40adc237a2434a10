// Fetch-style middleware (SEAMS §A): @plinth/http apps, Bun, Deno and any `(ctx, next) => Response` host.
// Reads ctx.header() only; the principal goes to `ctx.state.user`.
import { type AuthenticateOptions, createAuthenticator } from '../authenticate.js';
import type { Middleware } from '../context.js';
import { AuthError } from '../errors.js';
import { createGuard, type PermissionCheck } from '../guard.js';
import type { Principal } from '../principal.js';
import { problemResponse } from '../problem.js';

type UserState = { user?: Principal };

/**
 * Authenticates every request (bearer token, API key, session cookie) and puts the principal at
 * `ctx.state.user`; answers 401 problem+json with a `WWW-Authenticate` challenge otherwise.
 *
 * @example
 * app.use(authenticate({ bearer: createTokenVerifier({ keys, issuer, audience }) }));
 */
export function authenticate(options: AuthenticateOptions): Middleware {
  const authenticator = createAuthenticator(options);
  return async (ctx, next) => {
    try {
      const principal = await authenticator.authenticate(ctx);
      if (principal !== undefined) (ctx.state as UserState).user = principal;
    } catch (error) {
      if (error instanceof AuthError) return problemResponse(error);
      throw error;
    }
    return next();
  };
}

/**
 * Lets the request through only when `ctx.state.user` passes every check; 401 without a principal,
 * 403 problem+json when denied.
 *
 * @example
 * app.delete('/posts/:id', requirePermission('posts:delete'), handler);
 */
export function requirePermission(...checks: PermissionCheck[]): Middleware {
  const guard = createGuard(checks);
  return async (ctx, next) => {
    try {
      await guard.check((ctx.state as UserState).user);
    } catch (error) {
      if (error instanceof AuthError) return problemResponse(error);
      throw error;
    }
    return next();
  };
}
