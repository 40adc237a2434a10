// The authenticated caller of a handler: @plinth/auth's authenticate() middleware put the principal on
// the @plinth/http context's state; a definition's `ctx.raw` is that context.
import { type Principal, UnauthenticatedError } from '@plinth/auth';

/** The id of the authenticated user, or a 401 with a Bearer challenge. */
export function callerId(ctx: { raw: unknown }): string {
  const user = (ctx.raw as { state?: { user?: Principal } }).state?.user;
  if (user === undefined) {
    const error = new UnauthenticatedError(
      'ERR_AUTH_CREDENTIALS_MISSING',
      'Authentication is required: send Authorization: Bearer <accessToken> (POST /auth/login) or the session cookie.',
    );
    error.headers = { 'www-authenticate': 'Bearer realm="api"' };
    throw error;
  }
  return user.id;
}

/** The OpenAPI security requirement of a route that needs a user: a bearer token or the session cookie. */
export const authenticated: Array<Record<string, string[]>> = [{ bearer: [] }, { cookie: [] }];
