// The fetch-style middleware in a real @plinth/http app: served by its serve() (the limiter keys by
// ctx.remoteAddress), and mounted in Express with the peer address given through the peer option.
import type { Server } from 'node:http';
import { createApp, json, text } from '@plinth/http';
import { plinthExpress } from '@plinth/http/express';
import { type RunningServer, serve } from '@plinth/http/node';
import * as observe from '@plinth/observability';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cors, csrf, rateLimit, secureHeaders } from '../src/adapters/fetch.js';
import { memoryStore } from '../src/drivers/memory.js';
import { frozenClock } from './support/clock.js';
import { close, send } from './support/http.js';

type State = { peer?: string; security?: { nonce?: string; csrfToken?: string } };
const secret = 'a-plinth-http-test-secret-32-bytes!!';

function buildApp() {
  const app = createApp<State>();
  app.use(secureHeaders({ contentSecurityPolicy: { nonce: true } }));
  app.use(cors({ origin: 'https://app.example.com', credentials: true }));
  app.use(
    rateLimit({
      store: memoryStore(frozenClock),
      policies: [{ name: 'default', limit: 2, windowMs: 60_000, algorithm: 'fixed-window' }],
      key: (request) => request.header('x-client') ?? request.client.key,
      peer: (ctx) => (ctx.state as State).peer,
    }),
  );
  app.use(
    csrf({ token: { secret, session: (request) => request.header('x-session') ?? '', secure: false } }),
  );
  app.get('/page', (ctx) =>
    text(`nonce=${ctx.state.security?.nonce} token=${ctx.state.security?.csrfToken}`),
  );
  app.post('/orders', () => json({ ok: true }, { status: 201 }));
  app.get('/broken', () => {
    throw Object.assign(new Error('No such order.'), { status: 404, headers: { vary: 'Accept' } });
  });
  return app;
}

let running: RunningServer;
let mounted: Server;
let mountedPort: number;

beforeAll(async () => {
  running = await serve(buildApp(), { port: 0, hostname: '127.0.0.1' });
  const host = express();
  host.use('/api', plinthExpress(buildApp(), { state: (req) => ({ peer: req.socket.remoteAddress }) }));
  mounted = host.listen(0, '127.0.0.1');
  await new Promise((resolve) => mounted.once('listening', resolve));
  mountedPort = (mounted.address() as { port: number }).port;
});
afterAll(async () => {
  await running.close({ timeout: 1_000 });
  await close(mounted);
});

describe('@plinth/http app', () => {
  it('gets the secure headers, a nonce in state and the CSRF token cookie', async () => {
    const answer = await send(running.port, '/page', { headers: { 'x-client': 'a', 'x-session': 's1' } });
    expect(answer.status).toBe(200);
    const nonce = /nonce=(\S+)/.exec(answer.body)![1]!;
    expect(answer.headers['content-security-policy']).toContain(`'nonce-${nonce}'`);
    expect(answer.headers['x-content-type-options']).toBe('nosniff');
    const token = /token=(\S+)/.exec(answer.body)![1]!;
    expect(answer.headers['set-cookie']).toEqual([`csrf=${token}; Path=/; SameSite=Lax`]);
    const post = await send(running.port, '/orders', {
      method: 'POST',
      headers: { 'x-client': 'a2', 'x-session': 's1', cookie: `csrf=${token}`, 'x-csrf-token': token },
    });
    expect(post.status).toBe(201);
    const forged = await send(running.port, '/orders', {
      method: 'POST',
      headers: { 'x-client': 'a3', 'x-session': 's1' },
    });
    expect(forged.status).toBe(403);
    expect(JSON.parse(forged.body)).toMatchObject({ code: 'CSRF_TOKEN_INVALID' });
  });

  it('a thrown error answered by the app carries the secure and CORS headers', async () => {
    const answer = await send(running.port, '/broken', {
      headers: { origin: 'https://app.example.com', 'x-client': 'err' },
    });
    expect(answer.status).toBe(404);
    expect(answer.headers['content-type']).toBe('application/problem+json');
    expect(answer.headers['x-content-type-options']).toBe('nosniff');
    expect(answer.headers['content-security-policy']).toMatch(/'nonce-/);
    expect(answer.headers['access-control-allow-origin']).toBe('https://app.example.com');
    expect(answer.headers.vary).toBe('Accept, Origin');
  });

  it('answers a CORS preflight from the middleware', async () => {
    const answer = await send(running.port, '/orders', {
      method: 'OPTIONS',
      headers: {
        origin: 'https://app.example.com',
        'access-control-request-method': 'POST',
        'x-client': 'b',
      },
    });
    expect(answer.status).toBe(204);
    expect(answer.headers['access-control-allow-origin']).toBe('https://app.example.com');
  });

  it('limits by IP when mounted in Express with the peer seeded into state', async () => {
    const statuses = [];
    for (let index = 0; index < 3; index++) statuses.push((await send(mountedPort, '/api/page')).status);
    expect(statuses).toEqual([200, 200, 429]);
    const denied = await send(mountedPort, '/api/page');
    expect(denied.headers['content-type']).toBe('application/problem+json');
    expect(denied.headers['ratelimit-policy']).toBe('default;q=2;w=60');
    expect(JSON.parse(denied.body)).toMatchObject({ status: 429, code: 'TOO_MANY_REQUESTS' });
  });

  it('limits by ctx.remoteAddress with no peer option: two loopback source addresses count apart', async () => {
    const keys: Array<string | undefined> = [];
    const app = createApp();
    app.use(
      rateLimit({
        store: memoryStore(frozenClock),
        policies: [{ name: 'default', limit: 1, windowMs: 60_000, algorithm: 'fixed-window' }],
        key: (request) => {
          keys.push(request.client.key);
          return request.client.key === undefined ? undefined : `ip:${request.client.key}`;
        },
      }),
    );
    app.get('/', () => text('ok'));
    const server = await serve(app, { port: 0, hostname: '127.0.0.1' });
    try {
      const statuses = [];
      for (const localAddress of ['127.0.0.1', '127.0.0.1', '127.0.0.2', '127.0.0.2'])
        statuses.push((await send(server.port, '/', { localAddress })).status);
      expect(statuses).toEqual([200, 429, 200, 429]);
      expect(keys).toEqual(['127.0.0.1', '127.0.0.1', '127.0.0.2', '127.0.0.2']);
    } finally {
      await server.close({ timeout: 1_000 });
    }
  });

  it('an IP-keyed limiter with no peer option limits a served app, and X-Forwarded-For only from a trusted proxy', async () => {
    const app = createApp();
    app.use(
      rateLimit({
        store: memoryStore(frozenClock),
        policies: [{ name: 'default', limit: 1, windowMs: 60_000, algorithm: 'fixed-window' }],
        clientIp: { proxies: ['127.0.0.1'], header: 'x-forwarded-for' },
      }),
    );
    app.get('/', () => text('ok'));
    const server = await serve(app, { port: 0, hostname: '127.0.0.1' });
    try {
      // From the trusted proxy, each forwarded client has its own count.
      const viaProxy = (client: string) =>
        send(server.port, '/', { localAddress: '127.0.0.1', headers: { 'x-forwarded-for': client } });
      expect((await viaProxy('203.0.113.1')).status).toBe(200);
      expect((await viaProxy('203.0.113.1')).status).toBe(429);
      expect((await viaProxy('203.0.113.2')).status).toBe(200);
      // From an untrusted peer, the header is ignored: the peer itself is counted.
      const direct = (client: string) =>
        send(server.port, '/', { localAddress: '127.0.0.3', headers: { 'x-forwarded-for': client } });
      expect((await direct('203.0.113.3')).status).toBe(200);
      expect((await direct('203.0.113.4')).status).toBe(429);
    } finally {
      await server.close({ timeout: 1_000 });
    }
  });
});

describe('@plinth/http app with observability', () => {
  it("throws refusals, so the app's error handler answers them with its requestId", async () => {
    const app = createApp<State>();
    app.use(observe.requestLogger({ logger: observe.createLogger({ level: 'silent' }) }));
    app.use(observe.errorHandler());
    app.use(
      rateLimit({
        store: memoryStore(frozenClock),
        policies: [{ name: 'default', limit: 1, windowMs: 60_000, algorithm: 'fixed-window' }],
        key: () => 'one',
      }),
    );
    app.use(csrf());
    app.all('/orders', () => json({ ok: true }));
    const server = await serve(app, { port: 0, hostname: '127.0.0.1' });
    try {
      const forged = await send(server.port, '/orders', {
        method: 'POST',
        headers: { 'sec-fetch-site': 'cross-site' },
      });
      expect(forged.status).toBe(403);
      expect(forged.headers['content-type']).toBe('application/problem+json');
      expect(JSON.parse(forged.body)).toMatchObject({
        code: 'CSRF_ORIGIN_REJECTED',
        instance: '/orders',
        requestId: forged.headers['x-request-id'],
      });
      const limited = await send(server.port, '/orders');
      expect(limited.status).toBe(429);
      expect(limited.headers['retry-after']).toMatch(/^\d+$/);
      expect(limited.headers['ratelimit-policy']).toBe('default;q=1;w=60');
      expect(JSON.parse(limited.body)).toMatchObject({
        code: 'TOO_MANY_REQUESTS',
        requestId: limited.headers['x-request-id'],
      });
    } finally {
      await server.close({ timeout: 1_000 });
    }
  });
});
