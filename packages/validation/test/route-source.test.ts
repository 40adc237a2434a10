// The one route declaration (SEAMS §H): a hand-written object of @plinth/http's `app.routes` shape,
// with no Plinth import, is validated by what its metadata declares.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { validate, validateRoutes } from '../src/fetch.js';
import { RequestValidationError, type RouteSchema } from '../src/index.js';

interface RouteInfo {
  method: string;
  path: string;
  meta: { schema?: RouteSchema; summary?: string };
}

const route: RouteInfo = {
  method: 'GET',
  path: '/users/:id',
  meta: {
    summary: 'One user',
    schema: {
      params: z.object({ id: z.number().int() }),
      headers: z.object({ 'x-tenant-id': z.string().min(3) }),
      response: { 200: z.object({ id: z.number() }), 404: { description: 'No such user' } },
    },
  },
};

function context(path: string, headers: Record<string, string>) {
  return {
    method: route.method,
    path,
    routePath: route.path,
    route,
    header: (name: string) => headers[name.toLowerCase()],
    signal: new AbortController().signal,
    get request(): Request {
      throw new Error('the hot path must not build the Request');
    },
    state: {} as Record<string, unknown>,
  };
}

describe('a hand-written route declaration', () => {
  const middleware = validateRoutes();

  it('validates params and headers from the route pattern without touching ctx.request', async () => {
    const ctx = context('/users/42', { 'x-tenant-id': 'acme' });
    const response = await middleware(ctx, async () => new Response('ok'));
    expect(await response.text()).toBe('ok');
    expect(ctx.state.validated).toEqual({
      params: { id: 42 },
      querystring: undefined,
      headers: { 'x-tenant-id': 'acme' },
      body: undefined,
    });
  });

  it("throws a RequestValidationError (for the app's error handler) with pointers rooted at each part", async () => {
    const failure = middleware(context('/users/abc', {}), async () => new Response('ok'));
    await expect(failure).rejects.toBeInstanceOf(RequestValidationError);
    const error = (await failure.catch((thrown: unknown) => thrown)) as RequestValidationError;
    expect(error).toMatchObject({ status: 400, expose: true, code: 'VALIDATION_FAILED' });
    expect(error.errors.map((entry) => entry.pointer)).toEqual(['/params/id', '/headers/x-tenant-id']);
  });
});

describe('a bare context (no @plinth/http): the body is read through ctx.request', () => {
  const middleware = validate({ body: z.object({ name: z.string() }) }, { maxBytes: 64 });

  function post(body: BodyInit, headers: Record<string, string>) {
    const request = new Request('http://localhost/users', {
      method: 'POST',
      body,
      headers,
      duplex: 'half',
    } as RequestInit);
    return {
      method: 'POST',
      path: '/users',
      header: (name: string) => request.headers.get(name) ?? undefined,
      signal: request.signal,
      request,
      state: {} as Record<string, unknown>,
    };
  }

  it('validates a JSON body read from the Request', async () => {
    const ctx = post('{"name":"Ada"}', { 'content-type': 'application/json', 'content-length': '14' });
    const response = await middleware(ctx, async () => new Response('ok'));
    expect(response.status).toBe(200);
    expect(middleware.input(ctx).body).toEqual({ name: 'Ada' });
  });

  it('reads a chunked body even when Content-Length says 0 (Transfer-Encoding decides)', async () => {
    const ctx = post('{"name":"Ada"}', {
      'content-type': 'application/json',
      'content-length': '0',
      'transfer-encoding': 'chunked',
    });
    const response = await middleware(ctx, async () => new Response('ok'));
    expect(response.status).toBe(200);
    expect(middleware.input(ctx).body).toEqual({ name: 'Ada' });
  });

  it('throws a 413 RequestBodyError for a streamed body past the limit', async () => {
    const stream = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(`{"name":"${'x'.repeat(100)}"}`));
        controller.close();
      },
    });
    const ctx = post(stream, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
    await expect(middleware(ctx, async () => new Response('ok'))).rejects.toMatchObject({
      name: 'RequestBodyError',
      status: 413,
      code: 'CONTENT_TOO_LARGE',
    });
  });
});
