// The health endpoints through real node:http, Express 5 and Fastify 5 servers on loopback.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import Fastify from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { expressHealth } from '../src/express.js';
import { fastifyHealth } from '../src/fastify.js';
import { type Check, createHealth, type Health } from '../src/index.js';
import { healthHandler } from '../src/node.js';

const failingCache: Check = {
  name: 'redis',
  critical: false,
  run: () => {
    throw new Error('redis down');
  },
};
const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  while (closers.length > 0) await closers.pop()?.();
});

function listen(server: Server): Promise<string> {
  closers.push(() => new Promise((resolve) => server.close(resolve)));
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
    ),
  );
}

type Start = (health: Health) => Promise<string>;
const frameworks: [string, Start][] = [
  [
    'node:http',
    (health) => {
      const handler = healthHandler(health);
      return listen(
        createServer((request, response) =>
          handler(request, response, () =>
            response.writeHead(200, { 'content-type': 'text/plain' }).end('app'),
          ),
        ),
      );
    },
  ],
  [
    'Express 5',
    (health) => {
      const app = express();
      app.use(expressHealth(health));
      app.get('/hello', (_request, response) => {
        response.type('text/plain').send('app');
      });
      return listen(createServer(app));
    },
  ],
  [
    'Fastify 5',
    async (health) => {
      const app = Fastify();
      await app.register(fastifyHealth, { health });
      app.get('/hello', async () => 'app');
      closers.push(() => app.close());
      return app.listen({ port: 0, host: '127.0.0.1' });
    },
  ],
];

describe.each(frameworks)('%s', (framework, start) => {
  it('answers readiness 503 before markStarted and 200 after, as health+json', async () => {
    const health = createHealth({ checks: [failingCache], verbose: true });
    const base = await start(health);
    const before = await fetch(`${base}/readyz`);
    expect(before.status).toBe(503);
    expect(before.headers.get('content-type')).toBe('application/health+json');
    expect(await before.json()).toEqual({ status: 'fail' });
    health.markStarted();
    const after = await fetch(`${base}/readyz?verbose`);
    expect(after.status).toBe(200);
    const body = await after.json();
    expect(body.status).toBe('warn');
    expect(body.checks['redis:responseTime'][0]).toMatchObject({ status: 'fail', output: 'redis down' });
  });

  it('serves liveness, startup and the summary on their default paths', async () => {
    const health = createHealth({ started: true });
    const base = await start(health);
    for (const path of ['/livez', '/startupz', '/healthz']) {
      const response = await fetch(`${base}${path}`);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ status: 'pass' });
    }
  });

  it('answers HEAD with no body and leaves the app its other routes', async () => {
    const health = createHealth({ started: true });
    const base = await start(health);
    const head = await fetch(`${base}/livez`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    const app = await fetch(`${base}/hello`);
    expect(await app.text()).toBe('app');
  });

  it('sends Content-Length on health and problem responses, HEAD included', async () => {
    const base = await start(createHealth({ started: true, verbose: false }));
    const get = await fetch(`${base}/readyz`);
    const body = await get.text();
    expect(get.headers.get('content-length')).toBe(String(Buffer.byteLength(body)));
    const head = await fetch(`${base}/readyz`, { method: 'HEAD' });
    expect(head.headers.get('content-length')).toBe(String(Buffer.byteLength(body)));
    // Fastify answers other methods itself (404, its router); the others get @plinth/deploy's 405.
    if (framework === 'Fastify 5') return;
    const refused = await fetch(`${base}/readyz`, { method: 'POST' });
    const problem = await refused.text();
    expect(refused.status).toBe(405);
    expect(refused.headers.get('content-type')).toBe('application/problem+json');
    expect(refused.headers.get('content-length')).toBe(String(Buffer.byteLength(problem)));
    expect(JSON.parse(problem)).toMatchObject({ status: 405, code: 'METHOD_NOT_ALLOWED' });
  });

  it('hands the verbose option a Request with the headers of the node request', async () => {
    const health = createHealth({
      started: true,
      checks: [failingCache],
      verbose: (request) => request.headers.get('authorization') === 'Bearer ops',
    });
    const base = await start(health);
    expect(await (await fetch(`${base}/healthz?verbose`)).json()).toEqual({ status: 'warn' });
    const allowed = await fetch(`${base}/healthz?verbose`, { headers: { authorization: 'Bearer ops' } });
    expect((await allowed.json()).checks).toBeDefined();
  });

  it('answers 400 problem+json to a bad verbose value', async () => {
    const base = await start(createHealth({ started: true }));
    const response = await fetch(`${base}/readyz?verbose=please`);
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
  });
});

describe('node:http without a next handler', () => {
  it('answers 404 problem+json off the health paths', async () => {
    const base = await listen(createServer(healthHandler(createHealth())));
    const response = await fetch(`${base}/nope`);
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
  });
});

describe('Express mounted under a prefix', () => {
  it('serves the paths relative to the mount point', async () => {
    const app = express();
    app.use('/ops', expressHealth(createHealth({ started: true })));
    const base = await listen(createServer(app));
    expect((await fetch(`${base}/ops/readyz`)).status).toBe(200);
    expect((await fetch(`${base}/readyz`)).status).toBe(404);
  });
});
