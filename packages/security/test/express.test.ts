// The Express 5 middleware against a real Express app on 127.0.0.1.
import type { Server } from 'node:http';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryStore } from '../src/drivers/memory.js';
import { expressCors, expressCsrf, expressRateLimit, expressSecureHeaders } from '../src/express.js';
import { frozenClock } from './support/clock.js';
import { close, send } from './support/http.js';

const secret = 'an-express-test-secret-of-32-bytes!!';
let server: Server;
let port: number;

beforeAll(async () => {
  const app = express();
  app.use(expressSecureHeaders({ contentSecurityPolicy: { nonce: true } }));
  app.use(
    expressCors({ origin: ['https://app.example.com'], credentials: true, exposedHeaders: ['ratelimit'] }),
  );
  app.use(
    expressRateLimit({
      store: memoryStore(frozenClock),
      policies: [{ name: 'default', limit: 3, windowMs: 60_000, algorithm: 'fixed-window' }],
      key: (request) => request.header('x-client') ?? request.client.key,
    }),
  );
  app.use(express.urlencoded({ extended: false }));
  app.use(
    expressCsrf({
      token: { secret, session: (request) => request.header('x-session') ?? '', secure: false },
    }),
  );
  app.get('/page', (_req, res) => {
    const { nonce, csrfToken } = res.locals.security as { nonce: string; csrfToken: string };
    res.type('html').send(`<script nonce="${nonce}"></script><input name="_csrf" value="${csrfToken}">`);
  });
  app.post('/orders', (_req, res) => {
    res.status(201).json({ ok: true });
  });
  server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  port = (server.address() as { port: number }).port;
});
afterAll(() => close(server));

describe('Express 5', () => {
  it('sends the secure headers with a nonce that matches the page, and no X-Powered-By', async () => {
    const answer = await send(port, '/page', { headers: { 'x-client': 'headers' } });
    expect(answer.status).toBe(200);
    expect(answer.headers['x-powered-by']).toBeUndefined();
    expect(answer.headers['x-content-type-options']).toBe('nosniff');
    expect(answer.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
    const nonce = /nonce="([^"]+)"/.exec(answer.body)![1]!;
    expect(answer.headers['content-security-policy']).toContain(`'nonce-${nonce}'`);
    const again = await send(port, '/page', { headers: { 'x-client': 'headers' } });
    expect(/nonce="([^"]+)"/.exec(again.body)![1]).not.toBe(nonce);
  });

  it('answers a preflight with 204 and the CORS headers, without reaching the routes', async () => {
    const answer = await send(port, '/orders', {
      method: 'OPTIONS',
      headers: {
        origin: 'https://app.example.com',
        'access-control-request-method': 'POST',
        'x-client': 'cors',
      },
    });
    expect(answer.status).toBe(204);
    expect(answer.headers['access-control-allow-origin']).toBe('https://app.example.com');
    expect(answer.headers['access-control-allow-credentials']).toBe('true');
    expect(answer.headers.vary).toBe('Origin');
  });

  it('rejects a cross-site POST with 403 problem+json, accepts a same-origin one', async () => {
    const rejected = await send(port, '/orders', {
      method: 'POST',
      headers: { 'sec-fetch-site': 'cross-site', origin: 'https://evil.test', 'x-client': 'csrf' },
    });
    expect(rejected.status).toBe(403);
    expect(rejected.headers['content-type']).toBe('application/problem+json');
    expect(JSON.parse(rejected.body)).toMatchObject({
      status: 403,
      code: 'CSRF_ORIGIN_REJECTED',
      title: 'Forbidden',
    });
    const accepted = await send(port, '/orders', {
      method: 'POST',
      headers: { 'sec-fetch-site': 'same-origin', 'x-client': 'csrf' },
    });
    expect(accepted.status).toBe(201);
  });

  it('takes the form token from a headerless old client (the fallback)', async () => {
    const page = await send(port, '/page', { headers: { 'x-session': 's1', 'x-client': 'form' } });
    const token = /value="([^"]+)"/.exec(page.body)![1]!;
    const cookie = String(page.headers['set-cookie']).split(';')[0]!;
    const body = new URLSearchParams({ _csrf: token }).toString();
    const post = (headers: Record<string, string>) =>
      send(port, '/orders', {
        method: 'POST',
        body,
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'x-session': 's1',
          'x-client': 'form',
          ...headers,
        },
      });
    expect((await post({ cookie })).status).toBe(201);
    expect((await post({})).status).toBe(403);
  });

  it('counts requests with RateLimit headers and answers 429 problem+json with Retry-After', async () => {
    const answers = [];
    for (let index = 0; index < 4; index++)
      answers.push(await send(port, '/page', { headers: { 'x-client': 'limit' } }));
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 429]);
    expect(answers[0]!.headers['ratelimit-policy']).toBe('default;q=3;w=60');
    expect(answers[0]!.headers.ratelimit).toMatch(/^default;r=2;t=\d+$/);
    const denied = answers[3]!;
    expect(denied.headers['content-type']).toBe('application/problem+json');
    expect(Number(denied.headers['retry-after'])).toBeGreaterThan(0);
    expect(denied.headers['content-length']).toBe(String(Buffer.byteLength(denied.body)));
    expect(JSON.parse(denied.body)).toMatchObject({
      type: 'about:blank',
      title: 'Too Many Requests',
      status: 429,
      code: 'TOO_MANY_REQUESTS',
    });
  });

  it('a throwing key function reaches Express as an error (500), and the server keeps answering', async () => {
    const app = express();
    app.use(
      expressRateLimit({
        store: memoryStore(frozenClock),
        policies: [{ name: 'default', limit: 10, windowMs: 60_000 }],
        key: (request) => {
          if (request.path === '/boom') throw new Error('bug in key');
          return 'fine';
        },
      }),
    );
    app.get('/{*rest}', (_req, res) => {
      res.send('ok');
    });
    const broken = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => broken.once('listening', resolve));
    const brokenPort = (broken.address() as { port: number }).port;
    try {
      expect((await send(brokenPort, '/boom')).status).toBe(500);
      expect((await send(brokenPort, '/fine')).status).toBe(200);
    } finally {
      await close(broken);
    }
  });
});
