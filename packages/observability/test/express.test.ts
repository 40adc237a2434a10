import http, { type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { errorHandler, requestLogger } from '../src/adapters/express.js';
import {
  BadRequestError,
  ConflictError,
  getLogger,
  getRequestContext,
  HttpError,
  NotFoundError,
  traceHeaders,
} from '../src/index.js';
import { captureLogger } from './log-capture.js';
import { abandonOnceEntered } from './raw-request.js';

const capture = captureLogger();
let server: Server;
let base: string;
// Called when /api/slow starts (the abort test sets it).
let slowEntered: () => void = () => {};

beforeAll(async () => {
  const app = express();
  app.use(requestLogger({ logger: capture.logger, otel: false }));
  app.use(express.json({ limit: '64b' }));
  const api = express.Router();
  api.get('/orders/:id', async (req, res) => {
    await sleep(5);
    getLogger().info({ orderId: req.params.id }, 'loading order');
    await Promise.resolve();
    res.json({ requestId: getRequestContext()?.requestId, trace: traceHeaders() });
  });
  api.post('/orders', (req, res) => {
    z.object({ quantity: z.number().positive() }).parse(req.body);
    res.status(201).json({ ok: true });
  });
  api.put('/orders/:id', async () => {
    await sleep(1);
    throw new ConflictError('Order was changed by someone else', { extensions: { currentVersion: 3 } });
  });
  api.get('/crash', (_req, _res, next) => {
    setTimeout(() => next(new Error('disk full at /var/lib/secret')), 1);
  });
  api.get('/slow', async (_req, res) => {
    slowEntered();
    await sleep(1000);
    res.send('late');
  });
  app.use('/api', api);
  // A stand-in for @plinth/http's Express mount (SEAMS §C): it sets req.routePath, the full pattern of the
  // Plinth route that matched, on the IncomingMessage before running its middleware.
  app.use('/plinth', (req, res) => {
    (req as { routePath?: string }).routePath = '/plinth/users/:id';
    res.json({ ok: true });
  });
  app.get('/livez', (_req, res) => {
    res.send('ok');
  });
  app.use(errorHandler());
  await new Promise<void>((resolve) => {
    server = app.listen(0, '127.0.0.1', () => resolve());
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

function linesFor(requestId: string | null) {
  return capture.lines().filter((line) => line.requestId === requestId);
}

describe('Express requestLogger', () => {
  it('logs the route pattern joined with the router mount path, and the context reaches async handlers', async () => {
    const response = await fetch(`${base}/api/orders/42?secret=x`, { headers: { 'x-request-id': 'ex-1' } });
    expect(response.headers.get('x-request-id')).toBe('ex-1');
    const body = (await response.json()) as { requestId: string; trace: { traceparent: string } };
    expect(body.requestId).toBe('ex-1');
    await sleep(20);
    const lines = linesFor('ex-1');
    const inside = lines.find((line) => line.msg === 'loading order');
    expect(inside).toMatchObject({ orderId: '42', requestId: 'ex-1' });
    expect(body.trace.traceparent).toBe(`00-${String(inside?.traceId)}-${String(inside?.spanId)}-01`);
    expect(lines.find((line) => line.msg === 'request completed')).toMatchObject({
      level: 30,
      method: 'GET',
      route: '/api/orders/:id',
      path: '/api/orders/42',
      status: 200,
    });
  });

  it('logs "request aborted" when the client goes away before the response', async () => {
    const entered = new Promise<void>((resolve) => {
      slowEntered = resolve;
    });
    await abandonOnceEntered(`${base}/api/slow`, { 'x-request-id': 'ex-abort' }, entered);
    // The server logs when it notices the client left: a little after the abort.
    await vi.waitFor(
      () =>
        expect(linesFor('ex-abort')).toEqual([
          expect.objectContaining({ msg: 'request aborted', level: 40, aborted: true, status: 499 }),
        ]),
      { timeout: 5000 },
    );
  });

  it('logs the route pattern a mounted Plinth app set on req.routePath', async () => {
    const response = await fetch(`${base}/plinth/users/9`, { headers: { 'x-request-id': 'ex-plinth' } });
    await response.json();
    await sleep(20);
    expect(linesFor('ex-plinth')[0]).toMatchObject({
      route: '/plinth/users/:id',
      path: '/plinth/users/9',
      status: 200,
    });
  });

  it('writes no line for /livez', async () => {
    const response = await fetch(`${base}/livez`);
    const id = response.headers.get('x-request-id');
    await response.text();
    await sleep(20);
    expect(id).toBeTruthy();
    expect(linesFor(id)).toHaveLength(0);
  });
});

describe('Express errorHandler', () => {
  it('answers a thrown HttpError from an async handler as problem+json', async () => {
    const response = await fetch(`${base}/api/orders/7`, {
      method: 'PUT',
      headers: { 'x-request-id': 'ex-2' },
    });
    expect(response.status).toBe(409);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(await response.json()).toMatchObject({
      status: 409,
      code: 'CONFLICT',
      detail: 'Order was changed by someone else',
      currentVersion: 3,
      instance: '/api/orders/7',
      requestId: 'ex-2',
    });
    await sleep(20);
    expect(linesFor('ex-2').find((line) => line.msg === 'request completed')).toMatchObject({
      level: 40,
      status: 409,
    });
  });

  it('hides an error passed to next() and logs it with the request id', async () => {
    const response = await fetch(`${base}/api/crash`, { headers: { 'x-request-id': 'ex-3' } });
    const text = await response.text();
    expect(response.status).toBe(500);
    expect(text).not.toContain('disk full');
    await sleep(20);
    const failure = linesFor('ex-3').find((line) => line.msg === 'request failed with an error');
    expect(failure).toMatchObject({ level: 50, err: { message: 'disk full at /var/lib/secret' } });
  });

  it("answers body-parser's invalid JSON with 400 and its oversized body with 413", async () => {
    const bad = await fetch(`${base}/api/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"quantity":',
    });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ status: 400, title: 'Bad Request', code: 'MALFORMED_BODY' });
    const large = await fetch(`${base}/api/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ quantity: 1, padding: 'x'.repeat(200) }),
    });
    expect(large.status).toBe(413);
    expect(await large.json()).toMatchObject({ status: 413, code: 'CONTENT_TOO_LARGE' });
  });

  it('answers a zod failure with 422 and pointers', async () => {
    const response = await fetch(`${base}/api/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"quantity":-1}',
    });
    expect(response.status).toBe(422);
    expect((await response.json()).errors).toEqual([expect.objectContaining({ pointer: '/quantity' })]);
  });
});

describe('Express requestLogger on a plain node:http server', () => {
  it('needs only IncomingMessage fields', async () => {
    const plain = captureLogger();
    const middleware = requestLogger({ logger: plain.logger, otel: false });
    const bare = http.createServer((req, res) => {
      middleware(req as express.Request, res as express.Response, () => {
        res.end(getRequestContext()?.requestId ?? 'none');
      });
    });
    await new Promise<void>((resolve) => bare.listen(0, '127.0.0.1', resolve));
    try {
      const port = (bare.address() as AddressInfo).port;
      const response = await fetch(`http://127.0.0.1:${port}/plain?x=1`, {
        headers: { 'x-request-id': 'plain-1' },
      });
      expect(await response.text()).toBe('plain-1');
      await sleep(20);
      expect(plain.lines()[0]).toMatchObject({ requestId: 'plain-1', path: '/plain', status: 200 });
    } finally {
      await new Promise((resolve) => bare.close(resolve));
    }
  });
});

describe('Express requestLogger without errorHandler', () => {
  it("logs a thrown 404/405/400 at the status Express's own handler answers, at warn", async () => {
    const alone = captureLogger();
    const app = express();
    app.use(requestLogger({ logger: alone.logger, otel: false }));
    app.get('/missing', () => {
      throw new NotFoundError('No such thing');
    });
    app.get('/method', () => {
      throw new HttpError(405, 'GET only', { headers: { allow: 'GET' } });
    });
    app.get('/bad', () => {
      throw new BadRequestError('Bad query');
    });
    const bare = await new Promise<Server>((resolve) => {
      const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
    });
    try {
      const at = `http://127.0.0.1:${(bare.address() as AddressInfo).port}`;
      for (const path of ['/missing', '/method', '/bad']) await (await fetch(`${at}${path}`)).text();
      await sleep(20);
      expect(alone.lines().map((line) => [line.path, line.status, line.level])).toEqual([
        ['/missing', 404, 40],
        ['/method', 405, 40],
        ['/bad', 400, 40],
      ]);
    } finally {
      await new Promise((resolve) => bare.close(resolve));
    }
  });
});

describe('Express route patterns of mounted routers', () => {
  // One app per case set: with the package's errorHandler, and with Express's own final handler.
  async function listen(withErrorHandler: boolean) {
    const capture = captureLogger();
    const app = express();
    app.use(requestLogger({ logger: capture.logger, otel: false }));
    const notes = express.Router();
    notes.get('/', (_req, res) => {
      res.send('list');
    });
    notes.get('/:id', (req) => {
      throw new NotFoundError(`No note ${req.params.id}`);
    });
    notes.get('/:id/slow', async () => {
      await sleep(1);
      throw new Error('storage down');
    });
    const v1 = express.Router();
    v1.get('/items/:id', (_req, res) => {
      res.send('item');
    });
    v1.get('/fail/:id', (_req, _res, next) => {
      next(new ConflictError('changed'));
    });
    const api = express.Router();
    api.use('/v1/', v1); // a trailing slash on the mount path is not doubled
    const userNotes = express.Router({ mergeParams: true });
    userNotes.get('/:noteId', (_req, res) => {
      res.send('note');
    });
    app.use('/notes', notes);
    app.use('/api', api);
    app.use('/users/:userId/notes', userNotes);
    if (withErrorHandler) app.use(errorHandler());
    const server = await new Promise<Server>((resolve) => {
      const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
    });
    const at = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const routes = async (paths: string[]) => {
      for (const path of paths) await (await fetch(`${at}${path}`)).text();
      await sleep(20);
      return capture
        .lines()
        .filter((line) => line.msg !== 'request failed with an error' && line.msg !== 'request rejected')
        .map((line) => [line.path, line.status, line.route]);
    };
    return { routes, close: () => new Promise((resolve) => server.close(resolve)) };
  }

  it.each([
    ['with errorHandler', true],
    ["with Express's final handler", false],
  ])(
    'names the route by its pattern with every mount path, also after an error (%s)',
    async (_name, withErrorHandler) => {
      const { routes, close } = await listen(withErrorHandler);
      try {
        expect(
          await routes([
            '/notes',
            '/notes/',
            '/notes/7',
            '/notes/7/slow',
            '/api/v1/items/3',
            '/api/v1/fail/3',
            '/users/42/notes/9',
          ]),
        ).toEqual([
          ['/notes', 200, '/notes'],
          ['/notes/', 200, '/notes'],
          ['/notes/7', 404, '/notes/:id'],
          ['/notes/7/slow', 500, '/notes/:id/slow'],
          ['/api/v1/items/3', 200, '/api/v1/items/:id'],
          ['/api/v1/fail/3', 409, '/api/v1/fail/:id'],
          ['/users/42/notes/9', 200, '/users/:userId/notes/:noteId'],
        ]);
      } finally {
        await close();
      }
    },
  );
});

describe('Express requestLogger with context: false', () => {
  it('keeps the id, the line and the problem ids, and enters no AsyncLocalStorage context', async () => {
    const capture = captureLogger();
    const app = express();
    app.use(requestLogger({ logger: capture.logger, otel: false, context: false }));
    app.get('/orders/:id', async (_req, res) => {
      await sleep(1);
      res.json({
        context: getRequestContext() === undefined ? 'none' : 'some',
        locals: res.locals.requestId,
      });
    });
    app.get('/fail', () => {
      throw new ConflictError('changed');
    });
    app.use(errorHandler({ logger: capture.logger }));
    const server = await new Promise<Server>((resolve) => {
      const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
    });
    try {
      const at = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const ok = await fetch(`${at}/orders/1`, { headers: { 'x-request-id': 'nc-1' } });
      expect(ok.headers.get('x-request-id')).toBe('nc-1');
      expect(await ok.json()).toEqual({ context: 'none', locals: 'nc-1' });
      const failed = await fetch(`${at}/fail`, { headers: { 'x-request-id': 'nc-2' } });
      const problem = (await failed.json()) as { requestId?: string; traceId?: string };
      expect(problem.requestId).toBe('nc-2');
      expect(problem.traceId).toMatch(/^[0-9a-f]{32}$/);
      await sleep(20);
      expect(capture.lines().filter((line) => line.msg === 'request completed')).toEqual([
        expect.objectContaining({ requestId: 'nc-1', route: '/orders/:id', status: 200 }),
        expect.objectContaining({ requestId: 'nc-2', route: '/fail', status: 409, traceId: problem.traceId }),
      ]);
      // The problem's own debug line goes through the request's child logger, found without the context.
      expect(capture.lines().find((line) => line.msg === 'request rejected')).toMatchObject({
        requestId: 'nc-2',
        code: 'CONFLICT',
      });
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
