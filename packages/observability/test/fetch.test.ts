import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  errorHandler,
  getLogger,
  getRequestContext,
  HttpError,
  injectTraceContext,
  NotFoundError,
  requestLogger,
  traceHeaders,
  wrapHandler,
} from '../src/index.js';
import { compose } from './compose.js';
import { captureLogger } from './log-capture.js';

const TRACE = '0af7651916cd43dd8448eb211c80319c';
const PARENT = 'b7ad6b7169203331';
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function setup(handler: Parameters<typeof compose>[1]) {
  const capture = captureLogger();
  const app = compose(
    [requestLogger({ logger: capture.logger, otel: false }), errorHandler({ logger: capture.logger })],
    handler,
  );
  return { app, ...capture };
}

describe('fetch requestLogger', () => {
  it('generates a request id, echoes it, and writes one line per request', async () => {
    const { app, lines } = setup(() => new Response('ok'));
    const response = await app(new Request('http://x.test/orders/7?token=secret'), '/orders/:id');
    const id = response.headers.get('x-request-id');
    expect(id).toMatch(uuid);
    const logLines = lines();
    expect(logLines).toHaveLength(1);
    expect(logLines[0]).toMatchObject({
      level: 30,
      msg: 'request completed',
      requestId: id,
      method: 'GET',
      route: '/orders/:id',
      path: '/orders/7',
      status: 200,
    });
    expect(typeof logLines[0]?.durationMs).toBe('number');
    expect(logLines[0]?.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(JSON.stringify(logLines)).not.toContain('secret');
  });

  it.each([
    ['a valid incoming id', 'abc-123_XYZ.9:1', true],
    ['an id of exactly 128 characters', 'a'.repeat(128), true],
    ['an id of 129 characters', 'a'.repeat(129), false],
    ['an id with spaces', 'abc 123', false],
    ['an id with a newline (log forging)', 'abc\\n{"level":60}', false],
    ['an id with a slash', 'a/b', false],
    ['an empty id', '', false],
  ])('accepts %s: %s', async (_name, incoming, accepted) => {
    const { app } = setup(() => new Response('ok'));
    const response = await app(new Request('http://x.test/', { headers: { 'x-request-id': incoming } }));
    if (accepted) expect(response.headers.get('x-request-id')).toBe(incoming);
    else expect(response.headers.get('x-request-id')).toMatch(uuid);
  });

  it('logs at warn for 4xx and error for 5xx', async () => {
    const { app, lines } = setup(
      (ctx) => new Response(null, { status: Number(new URL(ctx.request.url).searchParams.get('s')) }),
    );
    await app(new Request('http://x.test/?s=201'));
    await app(new Request('http://x.test/?s=404'));
    await app(new Request('http://x.test/?s=503'));
    expect(lines().map((line) => [line.status, line.level])).toEqual([
      [201, 30],
      [404, 40],
      [503, 50],
    ]);
  });

  it('skips the line for health probes but still echoes their request id', async () => {
    const { app, lines } = setup(() => new Response('ok'));
    const live = await app(new Request('http://x.test/livez'));
    await app(new Request('http://x.test/readyz'));
    await app(new Request('http://x.test/startupz'));
    await app(new Request('http://x.test/healthz'));
    expect(live.headers.get('x-request-id')).toMatch(uuid);
    expect(lines()).toHaveLength(0);
    const custom = captureLogger();
    const skipAll = compose(
      [requestLogger({ logger: custom.logger, skip: (path) => path.startsWith('/internal') })],
      () => new Response('ok'),
    );
    await skipAll(new Request('http://x.test/internal/metrics'));
    await skipAll(new Request('http://x.test/livez'));
    expect(custom.lines().map((line) => line.path)).toEqual(['/livez']);
  });

  it('gives getLogger() the request child logger across awaits, without mixing concurrent requests', async () => {
    const { app, lines } = setup(async (ctx) => {
      const delay = Number(new URL(ctx.request.url).searchParams.get('delay'));
      await sleep(delay);
      getLogger().info({ step: 'after-await' }, 'inside');
      await Promise.resolve();
      return new Response(getRequestContext()?.requestId ?? 'none');
    });
    const [slow, fast] = await Promise.all([
      app(new Request('http://x.test/?delay=30', { headers: { 'x-request-id': 'slow-1' } })),
      app(new Request('http://x.test/?delay=1', { headers: { 'x-request-id': 'fast-2' } })),
    ]);
    expect(await slow.text()).toBe('slow-1');
    expect(await fast.text()).toBe('fast-2');
    const inside = lines().filter((line) => line.msg === 'inside');
    expect(inside.map((line) => line.requestId).sort()).toEqual(['fast-2', 'slow-1']);
    for (const line of inside) {
      expect(line.traceId).toMatch(/^[0-9a-f]{32}$/);
      expect(line.spanId).toMatch(/^[0-9a-f]{16}$/);
    }
    expect(getRequestContext()).toBeUndefined();
  });

  it('exposes requestId and a child logger on ctx.state', async () => {
    const { app, lines } = setup((ctx) => {
      (ctx.state.log as { info: (msg: string) => void }).info('from state');
      return new Response(String(ctx.state.requestId));
    });
    const response = await app(new Request('http://x.test/', { headers: { 'x-request-id': 'state-1' } }));
    expect(await response.text()).toBe('state-1');
    expect(lines().find((line) => line.msg === 'from state')?.requestId).toBe('state-1');
  });

  it('gives ctx.state.log every level, child() and isLevelEnabled, all carrying the request id', async () => {
    const { app, lines } = setup((ctx) => {
      const log = ctx.state.log as {
        warn: (obj: object, msg: string) => void;
        child: (bindings: object) => { info: (msg: string) => void };
        isLevelEnabled: (level: string) => boolean;
      };
      log.warn({ step: 1 }, 'careful');
      log.child({ part: 'inner' }).info('from child');
      return new Response(String(log.isLevelEnabled('info')));
    });
    const response = await app(new Request('http://x.test/', { headers: { 'x-request-id': 'state-2' } }));
    expect(await response.text()).toBe('true');
    const written = lines().filter((line) => line.msg !== 'request completed');
    expect(written).toMatchObject([
      { level: 40, msg: 'careful', step: 1, requestId: 'state-2' },
      { level: 30, msg: 'from child', part: 'inner', requestId: 'state-2' },
    ]);
  });

  it('continues an incoming trace, keeps the sampled flag and propagates it downstream', async () => {
    let outgoing: Record<string, string> = {};
    let injected = new Headers();
    const { app, lines } = setup(async () => {
      outgoing = { ...traceHeaders() };
      injected = injectTraceContext(new Headers({ accept: 'application/json' }));
      return new Response('ok');
    });
    await app(
      new Request('http://x.test/', {
        headers: {
          traceparent: `00-${TRACE}-${PARENT}-00`,
          tracestate: 'congo=t61rcWkgMzE, rojo=00f067aa0ba902b7',
        },
      }),
    );
    const [line] = lines();
    expect(line?.traceId).toBe(TRACE);
    expect(line?.spanId).not.toBe(PARENT);
    expect(outgoing.traceparent).toBe(`00-${TRACE}-${String(line?.spanId)}-00`);
    expect(outgoing.tracestate).toBe('congo=t61rcWkgMzE,rojo=00f067aa0ba902b7');
    expect(injected.get('traceparent')).toBe(outgoing.traceparent);
    expect(injected.get('accept')).toBe('application/json');
    expect(traceHeaders()).toEqual({});
  });

  it('starts a new sampled trace for an invalid traceparent and drops its tracestate', async () => {
    let outgoing: Record<string, string> = {};
    const { app } = setup(() => {
      outgoing = { ...traceHeaders() };
      return new Response('ok');
    });
    await app(
      new Request('http://x.test/', {
        headers: { traceparent: `ff-${TRACE}-${PARENT}-01`, tracestate: 'a=1' },
      }),
    );
    expect(outgoing.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    expect(outgoing.traceparent).not.toContain(TRACE);
    expect(outgoing.tracestate).toBeUndefined();
  });

  it('sets the request id even on responses with immutable headers', async () => {
    const { app } = setup(() => Response.redirect('http://x.test/elsewhere', 302));
    const response = await app(new Request('http://x.test/'));
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('http://x.test/elsewhere');
    expect(response.headers.get('x-request-id')).toMatch(uuid);
  });

  it('logs an error that escapes with no error handler, and rethrows it', async () => {
    const capture = captureLogger();
    const app = compose([requestLogger({ logger: capture.logger })], () => {
      throw new Error('nobody caught me');
    });
    await expect(app(new Request('http://x.test/boom'))).rejects.toThrow('nobody caught me');
    expect(capture.lines()[0]).toMatchObject({
      level: 50,
      status: 500,
      err: { message: 'nobody caught me' },
    });
  });

  it('logs a thrown 404/405/400/422 at its own status and level when no errorHandler answers it', async () => {
    const capture = captureLogger();
    const errors: Record<string, unknown> = {
      '/missing': new NotFoundError('No order 7'),
      '/method': new HttpError(405, 'GET only', { headers: { allow: 'GET' } }),
      '/bad': { status: 400, message: 'a foreign error of the convention' },
      '/invalid': z.object({ a: z.string() }).safeParse({}).error,
      '/broken': new Error('a bug'),
    };
    const app = compose([requestLogger({ logger: capture.logger })], (ctx) => {
      throw errors[ctx.path];
    });
    for (const path of Object.keys(errors)) {
      await expect(app(new Request(`http://x.test${path}`))).rejects.toBe(errors[path]);
    }
    expect(capture.lines().map((line) => [line.path, line.status, line.level, line.msg])).toEqual([
      ['/missing', 404, 40, 'request completed'],
      ['/method', 405, 40, 'request completed'],
      ['/bad', 400, 40, 'request completed'],
      ['/invalid', 422, 40, 'request completed'],
      ['/broken', 500, 50, 'request failed'],
    ]);
  });

  it('validates its options when created', () => {
    expect(() => requestLogger({ requestIdHeader: 'bad header' })).toThrow(/not a valid header name/);
    expect(() => requestLogger({ skip: 'livez' as unknown as string[] })).toThrow(/skip must be/);
  });
});

describe('fetch middleware and the context seam', () => {
  // The SEAMS §A context of a router that builds its Request lazily: reading `request` throws here,
  // so any read on the middleware path fails the test.
  function lazyContext(headers: Record<string, string> = {}) {
    const state: Record<string, unknown> = {};
    return {
      method: 'GET',
      path: '/orders/7',
      header: (name: string) => headers[name.toLowerCase()],
      get signal(): AbortSignal {
        throw new Error('ctx.signal was read on the hot path');
      },
      get request(): Request {
        throw new Error('ctx.request was read on the hot path');
      },
      state,
      routePath: '/orders/:id',
    };
  }

  it('requestLogger and errorHandler never read ctx.request (nor ctx.signal)', async () => {
    const capture = captureLogger();
    const logger = requestLogger({ logger: capture.logger, otel: false });
    const errors = errorHandler({ logger: capture.logger });
    const ctx = lazyContext({ 'x-request-id': 'lazy-1', traceparent: `00-${TRACE}-${PARENT}-01` });
    const ok = await logger(ctx, () => errors(ctx, async () => new Response('ok')));
    expect(ok.headers.get('x-request-id')).toBe('lazy-1');
    const failed = await logger(ctx, () =>
      errors(ctx, async () => {
        throw new NotFoundError('No order 7');
      }),
    );
    expect(failed.status).toBe(404);
    expect(await failed.json()).toMatchObject({ instance: '/orders/7', requestId: 'lazy-1', traceId: TRACE });
    expect(capture.lines().filter((line) => line.msg === 'request completed')).toEqual([
      expect.objectContaining({ route: '/orders/:id', path: '/orders/7', status: 200, traceId: TRACE }),
      expect.objectContaining({ route: '/orders/:id', path: '/orders/7', status: 404, traceId: TRACE }),
    ]);
    expect(ctx.state.requestId).toBe('lazy-1');
  });

  it('wrapHandler runs the middleware around a bare (Request) => Response handler', async () => {
    const capture = captureLogger();
    const fetchHandler = wrapHandler(
      [requestLogger({ logger: capture.logger, otel: false }), errorHandler({ logger: capture.logger })],
      (request, ctx) => {
        if (new URL(request.url).pathname === '/missing') throw new NotFoundError('Nothing here');
        return new Response(String((ctx.state as { requestId?: string }).requestId));
      },
    );
    const ok = await fetchHandler(
      new Request('http://x.test/hello?token=t', { headers: { 'x-request-id': 'w-1' } }),
    );
    expect(await ok.text()).toBe('w-1');
    const missing = await fetchHandler(new Request('http://x.test/missing'));
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ code: 'NOT_FOUND', instance: '/missing' });
    expect(capture.lines().filter((line) => line.msg === 'request completed')).toEqual([
      expect.objectContaining({ method: 'GET', path: '/hello', status: 200, requestId: 'w-1' }),
      expect.objectContaining({ method: 'GET', path: '/missing', status: 404 }),
    ]);
  });
});

describe('fetch errorHandler', () => {
  it('answers any error of the convention with its status, headers and Content-Length', async () => {
    const { app } = setup(() => {
      throw Object.assign(new Error('Only GET and HEAD.'), { status: 405, headers: { Allow: 'GET, HEAD' } });
    });
    const response = await app(new Request('http://x.test/orders', { method: 'DELETE' }));
    const text = await response.text();
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, HEAD');
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(response.headers.get('content-length')).toBe(String(Buffer.byteLength(text)));
    expect(JSON.parse(text)).toMatchObject({
      title: 'Method Not Allowed',
      status: 405,
      detail: 'Only GET and HEAD.',
      code: 'METHOD_NOT_ALLOWED',
    });
  });

  it('answers an HttpError with its problem, carrying request and trace ids', async () => {
    const { app, lines } = setup(() => {
      throw new NotFoundError('Order 7 does not exist');
    });
    const response = await app(
      new Request('http://x.test/orders/7', {
        headers: { 'x-request-id': 'r-1', traceparent: `00-${TRACE}-${PARENT}-01` },
      }),
      '/orders/:id',
    );
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(response.headers.get('x-request-id')).toBe('r-1');
    expect(await response.json()).toEqual({
      type: 'about:blank',
      title: 'Not Found',
      status: 404,
      detail: 'Order 7 does not exist',
      code: 'NOT_FOUND',
      instance: '/orders/7',
      traceId: TRACE,
      requestId: 'r-1',
    });
    expect(lines().find((line) => line.msg === 'request completed')).toMatchObject({
      level: 40,
      status: 404,
    });
  });

  it('hides an unknown error from the client and logs all of it', async () => {
    const { app, lines } = setup(() => {
      throw new Error('SELECT failed: password authentication failed for user "app"');
    });
    const response = await app(new Request('http://x.test/crash'));
    const body = await response.text();
    expect(response.status).toBe(500);
    expect(body).not.toContain('SELECT');
    expect(JSON.parse(body)).toMatchObject({
      status: 500,
      title: 'Internal Server Error',
      code: 'INTERNAL_SERVER_ERROR',
    });
    const failure = lines().find((line) => line.msg === 'request failed with an error');
    expect(failure).toMatchObject({ level: 50, status: 500, err: { type: 'Error' } });
    expect(String((failure?.err as { message?: string } | undefined)?.message)).toContain('SELECT failed');
  });

  it('answers Standard Schema failures with 422 and field errors', async () => {
    const schema = z.object({ email: z.email() });
    const { app } = setup(async (ctx) => {
      const body = schema.parse(await ctx.request.json());
      return Response.json(body);
    });
    const response = await app(
      new Request('http://x.test/users', { method: 'POST', body: '{"email":"nope"}' }),
    );
    expect(response.status).toBe(422);
    expect((await response.json()).errors).toEqual([expect.objectContaining({ pointer: '/email' })]);
  });
});

describe('fetch requestLogger with context: false', () => {
  it('keeps the id, ctx.state, the line and the problem ids, and enters no AsyncLocalStorage context', async () => {
    const capture = captureLogger();
    const app = compose(
      [requestLogger({ logger: capture.logger, otel: false, context: false }), errorHandler()],
      async (ctx) => {
        await sleep(1);
        (ctx.state.log as { info: (msg: string) => void }).info('from state');
        if (ctx.path === '/fail') throw new NotFoundError('No such order');
        return new Response(getRequestContext() === undefined ? 'no context' : 'context');
      },
    );
    const ok = await app(
      new Request('http://x.test/orders/1', { headers: { 'x-request-id': 'fc-1' } }),
      '/orders/:id',
    );
    expect(ok.headers.get('x-request-id')).toBe('fc-1');
    expect(await ok.text()).toBe('no context');
    const failed = await app(new Request('http://x.test/fail', { headers: { 'x-request-id': 'fc-2' } }));
    expect(failed.headers.get('x-request-id')).toBe('fc-2');
    const problem = (await failed.json()) as { status: number; requestId?: string; traceId?: string };
    expect(problem).toMatchObject({ status: 404, requestId: 'fc-2' });
    expect(problem.traceId).toMatch(/^[0-9a-f]{32}$/);
    const lines = capture.lines();
    expect(lines.filter((line) => line.msg === 'from state').map((line) => line.requestId)).toEqual([
      'fc-1',
      'fc-2',
    ]);
    expect(lines.filter((line) => line.msg === 'request completed')).toEqual([
      expect.objectContaining({ requestId: 'fc-1', route: '/orders/:id', path: '/orders/1', status: 200 }),
      expect.objectContaining({ requestId: 'fc-2', path: '/fail', status: 404, traceId: problem.traceId }),
    ]);
    // errorHandler found the request's child logger on ctx.state: its line carries the request id.
    expect(lines.find((line) => line.msg === 'request rejected')).toMatchObject({ requestId: 'fc-2' });
  });
});
