// OpenID Connect login, mounted only when OIDC_ISSUER and OIDC_CLIENT_ID are set: /auth/oidc/start
// redirects to the provider (authorization code + PKCE, state, nonce: @plinth/auth/oidc on
// openid-client), /auth/oidc/callback checks the answer, finds or creates the user by email, sets the
// session cookie and sends the browser to the board.
import type { OidcClient, OidcTransaction } from '@plinth/auth/oidc';
import type { App } from '@plinth/http';
import { BadRequestError } from '@plinth/observability';
import type { AccountService } from './accounts.js';
import type { AuthKit } from './auth.js';

/** How long a started login may take to come back. */
const transactionTtl = 10 * 60_000;

/** Mounts the two OIDC routes on `app`. */
export function mountOidc(app: App, client: OidcClient, accounts: AccountService, auth: AuthKit): void {
  // Pending logins by `state`, in this process: with several instances, keep the provider's callback
  // on the instance that started it (sticky sessions), or the login starts over.
  const pending = new Map<string, { transaction: OidcTransaction; expires: number }>();
  const meta = (summary: string) => ({ meta: { summary, tags: ['auth'], security: [] } });

  app.get('/auth/oidc/start', meta('Log in with the OpenID Connect provider'), async () => {
    const now = Date.now();
    for (const [state, entry] of pending) if (entry.expires < now) pending.delete(state);
    const { url, transaction } = await client.start();
    pending.set(transaction.state, { transaction, expires: now + transactionTtl });
    return Response.redirect(url.href, 302);
  });

  app.get('/auth/oidc/callback', meta('Where the provider sends the browser back'), async (ctx) => {
    const state = ctx.url.searchParams.get('state') ?? '';
    const entry = pending.get(state);
    pending.delete(state);
    if (!entry || entry.expires < Date.now()) {
      throw new BadRequestError('This login is unknown or expired; start again at /auth/oidc/start.', {
        code: 'OIDC_LOGIN_EXPIRED',
      });
    }
    const login = await client.finish(ctx.url, entry.transaction);
    const claims = { ...login.claims, ...(await client.userinfo(login.accessToken, login.claims.sub)) };
    if (typeof claims.email !== 'string') {
      throw new BadRequestError('The provider did not share an email address; allow the "email" scope.', {
        code: 'OIDC_EMAIL_MISSING',
      });
    }
    const name = typeof claims.name === 'string' ? claims.name : claims.email;
    const user = await accounts.findOrCreate({ email: claims.email, name });
    return new Response(null, {
      status: 302,
      headers: { location: '/board', 'set-cookie': auth.sessions.login({ id: user.id }).setCookie },
    });
  });
}
