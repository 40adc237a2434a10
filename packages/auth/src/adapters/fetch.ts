// Fetch-style middleware (SEAMS §A): @plinth/http apps, Bun, Deno and any `(ctx, next) => Response` host.
// Reads ctx.header() only; the principal goes to `ctx.state.user`. Refusals are thrown (AuthError, the
// http-errors shape), so the app's error handler answers them.
import { type AuthenticateOptions, createAuthenticator } from '../authenticate.js';
import type { Middleware } from '../context.js';
import { createGuard, type PermissionCheck } from '../guard.js';
import type { Principal } from '../principal.js';

type UserState = { user?: Principal };

/**
 * Authenticates every request (bearer token, API key, session cookie) and puts the principal at
 * `ctx.state.user`; otherwise throws a 401 `UnauthenticatedError` carrying the `WWW-Authenticate`
 * challenge, for the app's error handler to answer as problem+json.
 *
 * @example
 * app.use(authenticate({ bearer: createTokenVerifier({ keys, issuer, audience }) }));
 */
export function authenticate(options: AuthenticateOptions): Middleware {
  const authenticator = createAuthenticator(options);
  return async (ctx, next) => {
    const principal = await authenticator.authenticate(ctx);
    if (principal !== undefined) (ctx.state as UserState).user = principal;
    return next();
  };
}

/**
 * Lets the request through only when `ctx.state.user` passes every check; throws a 401
 * `UnauthenticatedError` without a principal, a 403 `ForbiddenError` when denied (for the app's error handler).
 *
 * @example
 * app.delete('/posts/:id', requirePermission('posts:delete'), handler);
 */
export function requirePermission(...checks: PermissionCheck[]): Middleware {
  const guard = createGuard(checks);
  return async (ctx, next) => {
    await guard.check((ctx.state as UserState).user);
    return next();
  };
}
