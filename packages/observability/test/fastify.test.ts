import http from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { errorHandler, requestLogger } from '../src/adapters/fastify.js';
import {
  BadRequestError,
  getLogger,
  getRequestContext,
  HttpError,
  NotFoundError,
  TooManyRequestsError,
} from '../src/index.js';
import { captureLogger } from './log-capture.js';
import { abandonOnceEntered } from './raw-request.js';

const capture = captureLogger();
let app: FastifyInstance;
let base: string;
// Called when /api/slow starts (the abort test sets it).
let slowEntered: () => void = () => {};

beforeAll(async () => {
  app = Fastify({ logger: false });
  await app.register(requestLogger({ logger: capture.logger, otel: false }));
  await app.register(errorHandler());
  // Routes in an encapsulated child plugin still see the hooks: the plugins above are not encapsulated.
  await app.register(
    async (child) => {
      child.addHook('preHandler', async (request) => {
        await sleep(2);
        getLogger().info({ url: request.url }, 'in preHandler');
      });
      child.post(
        '/orders/:id',
        {
          schema: {
            body: {
              type: 'object',
              required: ['quantity'],
              properties: { quantity: { type: 'integer', minimum: 1 } },
            },
          },
        },
        async (request) => {
          await sleep(5);
          getLogger().info({ body: request.body }, 'in handler');
          await Promise.resolve();
          return { requestId: getRequestContext()?.requestId };
        },
      );
      child.get('/limited', async () => {
        await sleep(1);
        throw new TooManyRequestsError('Slow down', { retryAfter: 5 });
      });
      child.get('/slow', async () => {
        slowEntered();
        await sleep(1000);
        return 'late';
      });
      // A stand-in for @plinth/http's Fastify mount (SEAMS §C): it sets request.raw.routePath, the full
      // pattern of the Plinth route that matched, before running its middleware.
      child.get('/plinth/*', async (request) => {
        (request.raw as { routePath?: string }).routePath = '/api/plinth/users/:id';
        return { ok: true };
      });
      child.get('/crash', async () => {
        throw new Error('stack trace with internals');
      });
    },
    { prefix: '/api' },
  );
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`;
});

afterAll(async () => {
  await app.close();
});

function linesFor(requestId: string) {
  return capture.lines().filter((line) => line.requestId === requestId);
}

const json = { 'content-type': 'application/json' };

describe('Fastify requestLogger', () => {
  it('keeps the request context through hooks, body parsing and an async handler', async () => {
    const response = await fetch(`${base}/api/orders/9`, {
      method: 'POST',
      headers: { ...json, 'x-request-id': 'fy-1' },
      body: JSON.stringify({ quantity: 2, password: 'never-logged' }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-request-id')).toBe('fy-1');
    expect(await response.json()).toEqual({ requestId: 'fy-1' });
    await sleep(20);
    const lines = linesFor('fy-1');
    expect(lines.map((line) => line.msg)).toEqual(['in preHandler', 'in handler', 'request completed']);
    expect(lines[1]).toMatchObject({ body: { quantity: 2, password: '[Redacted]' } });
    expect(lines[2]).toMatchObject({
      level: 30,
      method: 'POST',
      route: '/api/orders/:id',
      path: '/api/orders/9',
      status: 200,
    });
    expect(lines[1]?.traceId).toBe(lines[2]?.traceId);
  });

  it('keeps the context when the body arrives in slow chunks (parsed on later stream events)', async () => {
    const port = Number(new URL(base).port);
    const body = await new Promise<string>((resolve, reject) => {
      const request = http.request(
        {
          host: '127.0.0.1',
          port,
          method: 'POST',
          path: '/api/orders/3',
          headers: { ...json, 'x-request-id': 'fy-slow' },
        },
        (response) => {
          let text = '';
          response.on('data', (chunk: Buffer) => {
            text += chunk.toString();
          });
          response.on('end', () => resolve(text));
        },
      );
      request.on('error', reject);
      request.write('{"quantity"');
      setTimeout(() => request.end(':5}'), 30);
    });
    expect(JSON.parse(body)).toEqual({ requestId: 'fy-slow' });
    await sleep(20);
    expect(linesFor('fy-slow').map((line) => line.msg)).toEqual([
      'in preHandler',
      'in handler',
      'request completed',
    ]);
  });

  it('logs "request aborted" when the client goes away before the response', async () => {
    const entered = new Promise<void>((resolve) => {
      slowEntered = resolve;
    });
    await abandonOnceEntered(`${base}/api/slow`, { 'x-request-id': 'fy-abort' }, entered);
    // The server logs when it notices the client left: a little after the abort.
    await vi.waitFor(
      () =>
        expect(linesFor('fy-abort').filter((line) => line.msg !== 'in preHandler')).toEqual([
          expect.objectContaining({
            msg: 'request aborted',
            level: 40,
            aborted: true,
            route: '/api/slow',
            status: 499,
          }),
        ]),
      { timeout: 5000 },
    );
  });

  it('logs the route pattern a mounted Plinth app set on request.raw.routePath', async () => {
    const response = await fetch(`${base}/api/plinth/users/5`, { headers: { 'x-request-id': 'fy-plinth' } });
    await response.json();
    await sleep(20);
    expect(linesFor('fy-plinth').find((line) => line.msg === 'request completed')).toMatchObject({
      route: '/api/plinth/users/:id',
      path: '/api/plinth/users/5',
      status: 200,
    });
  });

  it('does not mix contexts of concurrent requests', async () => {
    const ids = Array.from({ length: 8 }, (_, index) => `fy-c${index}`);
    const bodies = await Promise.all(
      ids.map((id) =>
        fetch(`${base}/api/orders/1`, {
          method: 'POST',
          headers: { ...json, 'x-request-id': id },
          body: '{"quantity":1}',
        }).then((response) => response.json() as Promise<{ requestId: string }>),
      ),
    );
    expect(bodies.map((body) => body.requestId)).toEqual(ids);
  });
});

describe('Fastify errorHandler', () => {
  it('answers schema validation failures with 422 VALIDATION_FAILED and field pointers', async () => {
    const response = await fetch(`${base}/api/orders/1`, {
      method: 'POST',
      headers: json,
      body: '{"quantity":0}',
    });
    expect(response.status).toBe(422);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(await response.json()).toMatchObject({
      title: 'Unprocessable Content',
      status: 422,
      code: 'VALIDATION_FAILED',
      errors: [{ pointer: '/quantity', message: 'must be >= 1', code: 'minimum' }],
    });
  });

  it('answers a thrown HttpError with its headers', async () => {
    const response = await fetch(`${base}/api/limited`, { headers: { 'x-request-id': 'fy-2' } });
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('5');
    expect(await response.json()).toMatchObject({ status: 429, detail: 'Slow down', requestId: 'fy-2' });
  });

  it('hides unknown errors and logs them', async () => {
    const response = await fetch(`${base}/api/crash`, { headers: { 'x-request-id': 'fy-3' } });
    expect(response.status).toBe(500);
    expect(await response.text()).not.toContain('internals');
    await sleep(20);
    expect(linesFor('fy-3').find((line) => line.msg === 'request failed with an error')).toMatchObject({
      err: { message: 'stack trace with internals' },
    });
    expect(linesFor('fy-3').find((line) => line.msg === 'request completed')).toBeUndefined();
    expect(linesFor('fy-3').find((line) => line.msg === 'request failed')).toMatchObject({
      level: 50,
      status: 500,
    });
  });

  it('answers unknown routes with a 404 problem', async () => {
    const response = await fetch(`${base}/nowhere`);
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ status: 404, code: 'NOT_FOUND', instance: '/nowhere' });
  });
});

describe('Fastify requestLogger without errorHandler', () => {
  it("logs a thrown 404/405/400 at the status Fastify's own handler answers, at warn", async () => {
    const alone = captureLogger();
    const bare = Fastify({ logger: false });
    await bare.register(requestLogger({ logger: alone.logger, otel: false }));
    bare.get('/missing', async () => {
      throw new NotFoundError('No such thing');
    });
    bare.get('/method', async () => {
      throw new HttpError(405, 'GET only', { headers: { allow: 'GET' } });
    });
    bare.get('/bad', async () => {
      throw new BadRequestError('Bad query');
    });
    try {
      for (const url of ['/missing', '/method', '/bad']) await bare.inject({ url });
      expect(alone.lines().map((line) => [line.path, line.status, line.level])).toEqual([
        ['/missing', 404, 40],
        ['/method', 405, 40],
        ['/bad', 400, 40],
      ]);
    } finally {
      await bare.close();
    }
  });
});

describe('Fastify requestLogger with context: false', () => {
  it('keeps the id, the line and the problem ids, and enters no AsyncLocalStorage context', async () => {
    const alone = captureLogger();
    const bare = Fastify({ logger: false });
    await bare.register(requestLogger({ logger: alone.logger, otel: false, context: false }));
    await bare.register(errorHandler());
    bare.get('/orders/:id', async () => {
      await sleep(1);
      return { context: getRequestContext() === undefined ? 'none' : 'some' };
    });
    bare.get('/fail', async () => {
      throw new BadRequestError('Bad query');
    });
    try {
      const ok = await bare.inject({ url: '/orders/1', headers: { 'x-request-id': 'fz-1' } });
      expect(ok.headers['x-request-id']).toBe('fz-1');
      expect(ok.json()).toEqual({ context: 'none' });
      const failed = await bare.inject({ url: '/fail', headers: { 'x-request-id': 'fz-2' } });
      expect(failed.json()).toMatchObject({ status: 400, requestId: 'fz-2' });
      expect(alone.lines().filter((line) => line.msg === 'request completed')).toEqual([
        expect.objectContaining({ requestId: 'fz-1', route: '/orders/:id', status: 200 }),
        expect.objectContaining({
          requestId: 'fz-2',
          route: '/fail',
          status: 400,
          traceId: failed.json().traceId,
        }),
      ]);
      expect(alone.lines().find((line) => line.msg === 'request rejected')).toMatchObject({
        requestId: 'fz-2',
      });
    } finally {
      await bare.close();
    }
  });
});
