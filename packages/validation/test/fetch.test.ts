// The fetch-style middleware on a real @plinth/http app served by node:http.
import { createApp, json } from '@plinth/http';
import { type RunningServer, serve } from '@plinth/http/node';
import * as observe from '@plinth/observability';
import * as v from 'valibot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { validate, validatedInput, validateRoutes } from '../src/fetch.js';
import { createRouteValidator, serialize } from '../src/index.js';
import { badCases, expectRefused, expectServed, orderResult, orderSchema } from './support/routes.js';

describe('fetch-style middleware on @plinth/http', () => {
  let server: RunningServer;
  let base: string;

  beforeAll(async () => {
    const app = createApp();
    const order = validate(orderSchema);
    app.post('/orders/:id', { middleware: [order] }, (ctx) => {
      const body = serialize(orderSchema.response[201], orderResult(order.input(ctx)));
      return new Response(body, { status: 201, headers: { 'content-type': 'application/json' } });
    });
    // The one route declaration in the route's metadata, read by validateRoutes().
    const declared = { params: z.object({ id: z.number() }), querystring: z.object({ all: z.boolean() }) };
    app.group('/declared', (group) => {
      group.use(validateRoutes({ status: 422 }));
      group.get('/:id', { meta: { schema: declared, summary: 'one' } }, (ctx) =>
        json(validatedInput<typeof declared>(ctx)),
      );
      group.get('/plain/route', () => json({ plain: true }));
    });
    const search = validate({
      params: v.object({ id: v.pipe(v.number(), v.integer()) }),
      querystring: v.object({ since: v.date(), flags: v.optional(v.array(v.boolean())) }),
    });
    app.get('/valibot/:id', { middleware: [search] }, (ctx) => {
      const { params, querystring } = search.input(ctx);
      return json({ id: params.id, since: querystring.since.toISOString(), flags: querystring.flags });
    });
    // Thrown from a handler: @plinth/http's own error handler answers it by its shape alone.
    const thrown = createRouteValidator({ body: z.object({ name: z.string() }) }, { status: 422 });
    app.post('/thrown', async (ctx) => json((await thrown.validate({ body: await ctx.body.json() })).body));
    server = await serve(app, { port: 0, hostname: '127.0.0.1' });
    base = server.url.replace(/\/$/, '');
  });

  afterAll(() => server.close());

  it('answers a valid request with typed input and only the response schema fields', async () => {
    await expectServed(base);
  });

  for (const bad of badCases) {
    it(`refuses ${bad.name} with problem+json and keeps serving`, async () => {
      await expectRefused(base, bad);
      await expectServed(base);
    });
  }

  it('refuses a chunked body past the limit with 413', async () => {
    const chunks = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let index = 0; index < 40; index++) controller.enqueue(new Uint8Array(64 * 1024).fill(0x20));
        controller.close();
      },
    });
    const response = await fetch(`${base}/orders/7`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: chunks,
      duplex: 'half',
    } as RequestInit);
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ code: 'CONTENT_TOO_LARGE' });
    await expectServed(base);
  });

  it('validates routes by the schema in their metadata, with 422 when asked', async () => {
    const ok = await fetch(`${base}/declared/5?all=true`);
    expect(await ok.json()).toEqual({ params: { id: 5 }, querystring: { all: true } });
    const bad = await fetch(`${base}/declared/x?all=maybe`);
    expect(bad.status).toBe(422);
    const problem = await bad.json();
    expect(problem).toMatchObject({ title: 'Unprocessable Content', code: 'VALIDATION_FAILED' });
    expect(problem.errors.map((error: { pointer: string }) => error.pointer)).toEqual([
      '/params/id',
      '/querystring/all',
    ]);
    expect(await (await fetch(`${base}/declared/plain/route`)).json()).toEqual({ plain: true });
  });

  it('is answered by the host error handler by shape when a handler throws it', async () => {
    const response = await fetch(`${base}/thrown`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"name":5}',
    });
    expect(response.status).toBe(422);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(await response.json()).toMatchObject({
      status: 422,
      code: 'VALIDATION_FAILED',
      errors: [{ pointer: '/body/name', code: 'invalid_type' }],
    });
  });

  it('coerces and validates with valibot schemas too', async () => {
    const ok = await fetch(`${base}/valibot/3?since=2026-01-02&flags=true&flags=0`);
    expect(await ok.json()).toEqual({ id: 3, since: '2026-01-02T00:00:00.000Z', flags: [true, false] });
    const bad = await fetch(`${base}/valibot/3.5?since=soon`);
    expect(bad.status).toBe(400);
    const problem = await bad.json();
    expect(problem.errors.map((error: { pointer: string }) => error.pointer)).toEqual([
      '/params/id',
      '/querystring/since',
    ]);
  });

  it('never echoes a rejected password', async () => {
    const response = await fetch(`${base}/orders/7`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ items: [], password: 'pw' }),
    });
    const problem = await response.json();
    expect(problem.errors).toEqual([
      {
        pointer: '/body/password',
        message: 'Too small (the value of a sensitive field is not shown)',
        code: 'too_small',
      },
    ]);
  });
});

describe('fetch-style middleware with observability', () => {
  it("throws request errors, so the app's error handler answers them with its requestId", async () => {
    const app = createApp();
    app.use(observe.requestLogger({ logger: observe.createLogger({ level: 'silent' }) }));
    app.use(observe.errorHandler());
    const order = validate(orderSchema);
    app.post('/orders/:id', { middleware: [order] }, () => new Response(null, { status: 201 }));
    const running = await serve(app, { port: 0, hostname: '127.0.0.1' });
    try {
      const response = await fetch(`${running.url.replace(/\/$/, '')}/orders/abc`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"items":[',
      });
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toBe('application/problem+json');
      expect(await response.json()).toMatchObject({
        code: 'MALFORMED_BODY',
        instance: '/orders/abc',
        requestId: response.headers.get('x-request-id'),
      });
    } finally {
      await running.close();
    }
  });
});
