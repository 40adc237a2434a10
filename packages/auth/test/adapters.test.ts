// authenticate and requirePermission through real hosts on 127.0.0.1: @plinth/http, Express 5, Fastify 5.
// The same cases run against each, so the adapters cannot drift apart.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKeys, type StoredApiKey } from '../src/api-keys.js';
import { generateSigningKey, type SigningKey } from '../src/keys.js';
import { createRbac } from '../src/rbac.js';
import { createSessions } from '../src/sessions.js';
import { createTokenSigner, type TokenSigner } from '../src/token-signer.js';
import { createTokenVerifier } from '../src/token-verifier.js';
import { hosts, type Running } from './support/servers.js';

const issuer = 'https://auth.example';
const audience = 'api';
let key: SigningKey;
let signer: TokenSigner;

const storedKeys = new Map<string, StoredApiKey>();
const apiKeys = createApiKeys({ prefix: 'test', find: (id) => storedKeys.get(id) });
const issuedKey = apiKeys.issue();
storedKeys.set(issuedKey.id, {
  hash: issuedKey.hash,
  principal: { id: 'svc-1', roles: [], permissions: ['posts:*'], attributes: {} },
});
const sessions = createSessions({ secrets: ['s'.repeat(32)] });
const sessionCookie = sessions.login({ id: 'u-cookie', roles: ['viewer'] }).setCookie.split(';')[0] as string;

beforeAll(async () => {
  key = await generateSigningKey('ES256', { kid: 'k1' });
  signer = createTokenSigner({ keys: [key], issuer, audience });
});

describe.each(Object.keys(hosts))('on %s', (host) => {
  let server: Running;
  beforeAll(async () => {
    server = await (hosts[host] as (typeof hosts)[string])(
      {
        bearer: createTokenVerifier({ keys: [key], issuer, audience }),
        apiKey: apiKeys,
        cookie: sessions,
        rbac: createRbac({
          viewer: { permissions: ['posts:read'] },
          editor: { inherits: ['viewer'], permissions: ['posts:delete'] },
        }),
      },
      (principal) => ({ allowed: principal.id === 'u1', reason: 'rule 3: id must be u1' }),
    );
  });
  afterAll(() => server.close());

  const get = (path: string, headers: Record<string, string> = {}, method = 'GET') =>
    fetch(`${server.url}${path}`, { method, headers });

  it('answers 401 problem+json with a Bearer challenge when no credentials are sent', async () => {
    const response = await get('/me');
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    const challenge = response.headers.get('www-authenticate') ?? '';
    expect(challenge).toMatch(/^Bearer realm="api"/);
    expect(challenge).toContain('ApiKey realm="api"');
    const body = await response.json();
    expect(body).toEqual({
      type: 'about:blank',
      title: 'Unauthorized',
      status: 401,
      detail: 'Authentication is required: send credentials.',
      code: 'UNAUTHORIZED',
    });
    expect(Number(response.headers.get('content-length'))).toBe(JSON.stringify(body).length);
  });

  it('puts the principal of a valid bearer token where the framework expects it', async () => {
    const token = await signer.sign({ sub: 'u1', roles: ['editor'] });
    const response = await get('/me', { authorization: `Bearer ${token}` });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      id: 'u1',
      via: 'bearer',
      permissions: ['posts:delete', 'posts:read'],
    });
  });

  it('answers an expired token with error="invalid_token" and never echoes the token', async () => {
    const token = await createTokenSigner({
      keys: [key],
      issuer,
      audience,
      now: () => Date.now() - 3_600_000,
    }).sign({ sub: 'u1' });
    const response = await get('/me', { authorization: `Bearer ${token}` });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toContain(
      'error="invalid_token", error_description="The token has expired."',
    );
    const text = await response.text();
    expect(JSON.parse(text).code).toBe('TOKEN_EXPIRED');
    expect(text).not.toContain(token.split('.')[1]);
  });

  it('fails closed on alg none and keeps serving', async () => {
    const none = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify({ sub: 'admin', iss: issuer, aud: audience, exp: 2e9 })).toString('base64url')}.`;
    const refused = await get('/me', { authorization: `Bearer ${none}` });
    expect(refused.status).toBe(401);
    expect((await refused.json()).code).toBe('TOKEN_INVALID');
    const garbage = await get('/me', { authorization: 'Bearer %%%.%%%.%%%' });
    expect(garbage.status).toBe(401);
    const token = await signer.sign({ sub: 'u1' });
    expect((await get('/me', { authorization: `Bearer ${token}` })).status).toBe(200);
  });

  it('refuses an oversized token before parsing it, and a tampered one, without crashing', async () => {
    const big = await get('/me', { authorization: `Bearer ${'a'.repeat(9_000)}` });
    expect(big.status).toBe(401);
    expect((await big.json()).code).toBe('TOKEN_INVALID');
    const [header, , signature] = (await signer.sign({ sub: 'u1' })).split('.');
    const forged = `${header}.${Buffer.from(JSON.stringify({ sub: 'admin', iss: issuer, aud: audience, exp: 2e9 })).toString('base64url')}.${signature}`;
    const tampered = await get('/me', { authorization: `Bearer ${forged}` });
    expect((await tampered.json()).code).toBe('TOKEN_INVALID');
    expect((await get('/me', { authorization: `Bearer ${await signer.sign({ sub: 'u1' })}` })).status).toBe(
      200,
    );
  });

  it('authenticates an API key and refuses a wrong one', async () => {
    expect(await (await get('/me', { 'x-api-key': issuedKey.key })).json()).toMatchObject({
      id: 'svc-1',
      via: 'api-key',
    });
    const refused = await get('/me', { 'x-api-key': `${issuedKey.key.slice(0, -3)}AAA` });
    expect(refused.status).toBe(401);
    expect((await refused.json()).code).toBe('API_KEY_INVALID');
  });

  it('authenticates a session cookie and refuses a wrong one', async () => {
    expect(await (await get('/me', { cookie: `theme=dark; ${sessionCookie}` })).json()).toMatchObject({
      id: 'u-cookie',
      via: 'cookie',
      permissions: ['posts:read'],
    });
    const refused = await get('/me', { cookie: `${sessionCookie.slice(0, -4)}AAAA` });
    expect(refused.status).toBe(401);
    expect((await refused.json()).code).toBe('SESSION_INVALID');
  });

  it('answers 403 problem+json when the permission is missing, and lets it through when a role grants it', async () => {
    const viewer = await signer.sign({ sub: 'u2', roles: ['viewer'] });
    const refused = await get('/posts', { authorization: `Bearer ${viewer}` }, 'DELETE');
    expect(refused.status).toBe(403);
    expect(refused.headers.get('content-type')).toBe('application/problem+json');
    expect(await refused.json()).toEqual({
      type: 'about:blank',
      title: 'Forbidden',
      status: 403,
      detail: 'This needs the "posts:delete" permission.',
      code: 'FORBIDDEN',
    });
    const editor = await signer.sign({ sub: 'u2', roles: ['editor'] });
    expect((await get('/posts', { authorization: `Bearer ${editor}` }, 'DELETE')).status).toBe(200);
    expect((await get('/posts', { 'x-api-key': issuedKey.key }, 'DELETE')).status).toBe(200);
  });

  it('runs check functions and keeps their reason off the wire', async () => {
    const other = await signer.sign({ sub: 'u9' });
    const refused = await get('/custom', { authorization: `Bearer ${other}` });
    expect(refused.status).toBe(403);
    expect(await refused.text()).not.toContain('rule 3');
    const allowed = await signer.sign({ sub: 'u1' });
    expect((await get('/custom', { authorization: `Bearer ${allowed}` })).status).toBe(200);
  });
});
