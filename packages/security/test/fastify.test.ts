// The Fastify 5 plugins against a real Fastify app on 127.0.0.1; registered once at the root, their
// hooks also run for routes registered in an encapsulated child (not encapsulated themselves).
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryStore } from '../src/drivers/memory.js';
import { fastifyCors, fastifyCsrf, fastifyRateLimit, fastifySecureHeaders } from '../src/fastify.js';
import { frozenClock } from './support/clock.js';
import { send } from './support/http.js';

let app: FastifyInstance;
let port: number;

beforeAll(async () => {
  app = Fastify();
  await app.register(fastifySecureHeaders, { contentSecurityPolicy: { nonce: true } });
  await app.register(fastifyCors, { origin: /^https:\/\/(app|admin)\.example\.com$/, credentials: true });
  await app.register(fastifyRateLimit, {
    store: memoryStore(frozenClock),
    policies: [{ name: 'default', limit: 3, windowMs: 60_000, algorithm: 'fixed-window' }],
    key: (request) => request.header('x-client') ?? request.client.key,
  });
  await app.register(fastifyCsrf, { trustedOrigins: ['https://admin.example.com'] });
  await app.register(async (child) => {
    child.get('/page', async (request, reply) =>
      reply.type('text/html').send(`<script nonce="${request.security.nonce}"></script>`),
    );
    child.post('/orders', async (_request, reply) => reply.code(201).send({ ok: true }));
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  port = (app.server.address() as { port: number }).port;
});
afterAll(() => app.close());

describe('Fastify 5', () => {
  it('sends the secure headers and a per-request nonce to routes of a child context', async () => {
    const answer = await send(port, '/page', { headers: { 'x-client': 'headers' } });
    expect(answer.status).toBe(200);
    const nonce = /nonce="([^"]+)"/.exec(answer.body)![1]!;
    expect(answer.headers['content-security-policy']).toContain(`'nonce-${nonce}'`);
    expect(answer.headers['cross-origin-opener-policy']).toBe('same-origin');
    expect(answer.headers['origin-agent-cluster']).toBe('?1');
  });

  it('answers preflights with 204 though no OPTIONS route exists, and adds headers to 404s', async () => {
    const preflight = await send(port, '/orders', {
      method: 'OPTIONS',
      headers: {
        origin: 'https://admin.example.com',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
        'x-client': 'cors',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('https://admin.example.com');
    expect(preflight.headers['access-control-allow-headers']).toBe('content-type');
    const missing = await send(port, '/nowhere', {
      headers: { origin: 'https://app.example.com', 'x-client': 'cors' },
    });
    expect(missing.status).toBe(404);
    expect(missing.headers['access-control-allow-origin']).toBe('https://app.example.com');
    expect(missing.headers['x-frame-options']).toBe('SAMEORIGIN');
  });

  it('rejects a cross-site POST, accepts a trusted origin', async () => {
    const rejected = await send(port, '/orders', {
      method: 'POST',
      headers: { 'sec-fetch-site': 'cross-site', origin: 'https://evil.test', 'x-client': 'csrf' },
    });
    expect(rejected.status).toBe(403);
    expect(rejected.headers['content-type']).toBe('application/problem+json');
    expect(JSON.parse(rejected.body)).toMatchObject({ code: 'CSRF_ORIGIN_REJECTED' });
    const trusted = await send(port, '/orders', {
      method: 'POST',
      headers: { 'sec-fetch-site': 'cross-site', origin: 'https://admin.example.com', 'x-client': 'csrf' },
    });
    expect(trusted.status).toBe(201);
  });

  it('answers 429 problem+json with Retry-After and RateLimit headers', async () => {
    const statuses = [];
    let last: Awaited<ReturnType<typeof send>> | undefined;
    for (let index = 0; index < 4; index++) {
      last = await send(port, '/page', { headers: { 'x-client': 'limit' } });
      statuses.push(last.status);
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
    expect(last!.headers['content-type']).toBe('application/problem+json');
    expect(last!.headers.ratelimit).toMatch(/^default;r=0;t=\d+$/);
    expect(Number(last!.headers['retry-after'])).toBeGreaterThan(0);
    expect(JSON.parse(last!.body)).toMatchObject({ status: 429, code: 'TOO_MANY_REQUESTS' });
  });
});
