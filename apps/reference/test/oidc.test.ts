// OpenID Connect login through the app, against a real provider (panva's oidc-provider) started here on
// 127.0.0.1: /auth/oidc/start redirects to it, the test plays the browser on the provider's forms, and
// /auth/oidc/callback creates the user by email and hands back the session cookie.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createOidcClient } from '@plinth/auth/oidc';
import { createInjector } from '@plinth/testing';
import Provider from 'oidc-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, testApp } from './support/app.js';
import { pgliteDatabase, type TestDatabase } from './support/databases.js';

const redirectUri = 'http://localhost/auth/oidc/callback';
let provider: Server;
let database: TestDatabase;
let t: TestApp;

beforeAll(async () => {
  provider = createServer();
  await new Promise<void>((resolve) => provider.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(provider.address() as AddressInfo).port}`;
  const oidcProvider = new Provider(issuer, {
    clients: [
      {
        client_id: 'tracker',
        client_secret: 'a-client-secret-of-at-least-32-characters',
        redirect_uris: [redirectUri],
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
    ],
    pkce: { required: () => true },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    findAccount: async (_ctx: unknown, id: string) => ({
      accountId: id,
      claims: async () => ({
        sub: id,
        email: `${id}@idp.example.test`,
        email_verified: true,
        name: 'Idp User',
      }),
    }),
    features: { devInteractions: { enabled: true } },
    cookies: { keys: ['cookie-signing-key-for-the-test-provider'] },
  });
  provider.on('request', oidcProvider.callback());
  const oidc = await createOidcClient({
    issuer,
    clientId: 'tracker',
    clientSecret: 'a-client-secret-of-at-least-32-characters',
    redirectUri,
    allowLoopbackHttp: true,
  });
  database = await pgliteDatabase();
  t = await testApp(database.db, {}, { oidc });
});

afterAll(async () => {
  await database?.drop();
  await new Promise<void>((resolve) => provider.close(() => resolve()));
});

/** The browser's part at the provider: cookies, redirects, the dev login and consent forms. */
async function signInAtProvider(start: string, login: string): Promise<URL> {
  const jar = new Map<string, string>();
  let next: { url: URL; init?: RequestInit } = { url: new URL(start) };
  for (let step = 0; step < 12; step++) {
    const cookie = [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
    const response = await fetch(next.url, {
      ...next.init,
      redirect: 'manual',
      headers: { ...(next.init?.headers as Record<string, string>), cookie },
    });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';') as [string];
      jar.set(pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1));
    }
    const location = response.headers.get('location');
    if (location !== null) {
      const target = new URL(location, next.url);
      if (target.href.startsWith(redirectUri)) return target;
      next = { url: target };
      continue;
    }
    const page = await response.text();
    const action = /<form[^>]*action="([^"]+)"/.exec(page)?.[1];
    if (action === undefined) throw new Error(`no form at ${next.url} (status ${response.status})`);
    const fields = new URLSearchParams();
    for (const [, name, value] of page.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g))
      fields.set(name as string, value as string);
    if (page.includes('name="login"')) fields.set('login', login);
    if (page.includes('name="password"')) fields.set('password', 'any password');
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

describe('OpenID Connect login', () => {
  it('creates the user from the verified email and opens a session on the board', async () => {
    const browser = createInjector(t.app);
    const start = await browser('/auth/oidc/start');
    expect(start.status).toBe(302);
    const authorize = new URL(start.headers.get('location') as string);
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    const callback = await signInAtProvider(authorize.href, 'grace');
    const finished = await browser(`${callback.pathname}${callback.search}`);
    expect(finished.status).toBe(302);
    expect(finished.headers.get('location')).toBe('/board');
    expect(await (await browser('/me')).json()).toMatchObject({ email: 'grace@idp.example.test', teams: [] });
  });

  it('refuses a callback it did not start (unknown state) with 400 problem+json', async () => {
    const response = await t.request('/auth/oidc/callback?code=forged&state=forged');
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ code: 'OIDC_LOGIN_EXPIRED' });
  });
});
