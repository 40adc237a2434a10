// OpenID Connect login against a real provider (panva's oidc-provider) started here on 127.0.0.1; the
// test plays the browser: it follows the redirects, signs in on the provider's form and gives consent.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOidcClient, type OidcClient } from '../src/adapters/oidc.js';
import { AuthError } from '../src/errors.js';

const redirectUri = 'http://127.0.0.1:65500/callback';
const postLogoutRedirectUri = 'http://127.0.0.1:65500/bye';
let server: Server;
let issuer: string;
let oidc: OidcClient;

beforeAll(async () => {
  server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: 'plinth-app',
        client_secret: 'a-client-secret-of-at-least-32-characters',
        redirect_uris: [redirectUri],
        post_logout_redirect_uris: [postLogoutRedirectUri],
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
    ],
    pkce: { required: () => true },
    claims: { openid: ['sub'], email: ['email', 'email_verified'] },
    findAccount: async (_ctx: unknown, id: string) => ({
      accountId: id,
      claims: async () => ({ sub: id, email: `${id}@example.test`, email_verified: true }),
    }),
    features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
    cookies: { keys: ['cookie-signing-key-for-the-test-provider'] },
  });
  server.on('request', provider.callback());
  oidc = await createOidcClient({
    issuer,
    clientId: 'plinth-app',
    clientSecret: 'a-client-secret-of-at-least-32-characters',
    redirectUri,
    postLogoutRedirectUri,
    allowLoopbackHttp: true,
  });
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** A minimal browser: cookies, redirects, and the provider's login and consent forms. */
async function signIn(start: URL, login: string): Promise<URL> {
  const jar = new Map<string, string>();
  let next: { url: URL; init?: RequestInit } = { url: start };
  for (let step = 0; step < 12; step++) {
    const response = await fetch(next.url, {
      ...next.init,
      redirect: 'manual',
      headers: {
        ...(next.init?.headers as Record<string, string>),
        cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; '),
      },
    });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair] = cookie.split(';') as [string];
      const equals = pair.indexOf('=');
      jar.set(pair.slice(0, equals), pair.slice(equals + 1));
    }
    const location = response.headers.get('location');
    if (location !== null) {
      const target = new URL(location, next.url);
      if (target.href.startsWith(redirectUri)) return target;
      next = { url: target };
      continue;
    }
    const html = await response.text();
    const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
    if (action === undefined) throw new Error(`no form at ${next.url} (status ${response.status})`);
    const fields = new URLSearchParams();
    for (const [, name, value] of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g))
      fields.set(name as string, value as string);
    if (html.includes('name="login"')) fields.set('login', login);
    if (html.includes('name="password"')) fields.set('password', 'any password');
    next = {
      url: new URL(action.replaceAll('&amp;', '&'), next.url),
      init: {
        method: 'POST',
        body: fields.toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      },
    };
  }
  throw new Error('too many steps before the callback');
}

describe('OpenID Connect login against oidc-provider on 127.0.0.1', () => {
  it('logs in with code + PKCE, state and nonce, validates the ID token and reads userinfo', async () => {
    const { url, transaction } = await oidc.start();
    expect(url.origin).toBe(issuer);
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('state')).toBe(transaction.state);
    expect(url.searchParams.get('nonce')).toBe(transaction.nonce);
    expect(url.searchParams.has('code_verifier')).toBe(false);

    const callback = await signIn(url, 'alice');
    const login = await oidc.finish(callback, transaction);
    expect(login.claims).toMatchObject({
      sub: 'alice',
      iss: issuer,
      aud: 'plinth-app',
      nonce: transaction.nonce,
    });
    expect(await oidc.userinfo(login.accessToken, 'alice')).toMatchObject({
      sub: 'alice',
      email: 'alice@example.test',
    });
    const userinfoError = await oidc
      .userinfo(login.accessToken, 'mallory')
      .catch((error: AuthError) => error);
    expect((userinfoError as AuthError).reason).toBe('ERR_AUTH_OIDC_FAILED');

    const logout = oidc.logoutUrl(login.idToken, 'bye-state');
    expect(logout.origin).toBe(issuer);
    expect(logout.searchParams.get('id_token_hint')).toBe(login.idToken);
    expect(logout.searchParams.get('post_logout_redirect_uri')).toBe(postLogoutRedirectUri);
    const page = await fetch(logout, { redirect: 'manual' });
    expect(page.status).toBeLessThan(500);
  });

  it('refuses a callback whose state does not match the transaction (login CSRF)', async () => {
    const first = await oidc.start();
    const second = await oidc.start();
    const callback = await signIn(first.url, 'bob');
    const error = await oidc.finish(callback, second.transaction).catch((caught: AuthError) => caught);
    expect(error).toBeInstanceOf(AuthError);
    expect((error as AuthError).reason).toBe('ERR_AUTH_OIDC_FAILED');
    expect((error as AuthError).status).toBe(401);
  });

  it('refuses a code redeemed with another PKCE verifier or nonce', async () => {
    const first = await oidc.start();
    const callback = await signIn(first.url, 'carol');
    const forged = { ...first.transaction, codeVerifier: (await oidc.start()).transaction.codeVerifier };
    const error = await oidc.finish(callback, forged).catch((caught: AuthError) => caught);
    expect((error as AuthError).reason).toBe('ERR_AUTH_OIDC_FAILED');

    const again = await oidc.start();
    const secondCallback = await signIn(again.url, 'carol');
    const wrongNonce = await oidc
      .finish(secondCallback, { ...again.transaction, nonce: 'other' })
      .catch((caught: AuthError) => caught);
    expect((wrongNonce as AuthError).reason).toBe('ERR_AUTH_OIDC_FAILED');
  });

  it('refuses a plain-http issuer that is not loopback', async () => {
    await expect(
      createOidcClient({ issuer: 'http://idp.example', clientId: 'x', redirectUri }),
    ).rejects.toThrow(/https/);
  });
});
