import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineHandler } from '../definition.js';
import { reply } from '../reply.js';
import { bindHttp, type HttpRouteContext, type HttpRoutes } from './http.js';

type RouteHandler = (ctx: HttpRouteContext) => Response | Promise<Response>;

/** A hand-written host: records the handler of each route. */
function routes(): HttpRoutes & { handler(route: string): RouteHandler } {
  const added = new Map<string, RouteHandler>();
  return {
    on(method, path, _options, handler) {
      added.set(`${method} ${path}`, handler);
    },
    handler(route) {
      const found = added.get(route);
      if (found === undefined) throw new Error(`no route ${route}`);
      return found;
    },
  };
}

interface ContextParts {
  path?: string;
  params?: Record<string, string>;
  headers?: Record<string, string>;
  query?: Record<string, string | string[]>;
  body?: unknown;
  respond?: HttpRouteContext['respond'];
}

/** A context whose `request` getter throws: reading it fails the test. */
function context(parts: ContextParts = {}): HttpRouteContext & { readonly requestReads: number } {
  const headers = parts.headers ?? {};
  let requestReads = 0;
  const ctx: HttpRouteContext & { readonly requestReads: number } = {
    method: 'GET',
    path: parts.path ?? '/',
    params: parts.params ?? {},
    signal: new AbortController().signal,
    get request(): Request {
      requestReads++;
      throw new Error('ctx.request was read');
    },
    get requestReads() {
      return requestReads;
    },
    query: { toObject: () => parts.query ?? {} },
    body: { json: async () => parts.body },
    header: (name) => headers[name.toLowerCase()],
  };
  if (parts.respond !== undefined) ctx.respond = parts.respond;
  return ctx;
}

const getUser = defineHandler({
  method: 'GET',
  path: '/users/:id',
  schema: {
    params: z.object({ id: z.coerce.number() }),
    response: { 200: z.object({ id: z.number(), name: z.string() }) },
  },
  handle: ({ params }) => ({ id: params.id, name: 'Zoë', passwordHash: 'secret' }),
});

const removeUser = defineHandler({
  method: 'DELETE',
  path: '/users/:id',
  handle: () => reply(204, undefined, { headers: { 'x-removed': '1' } }),
});

describe('@plinth/http binding: the Response', () => {
  it('hands status, headers and body to ctx.respond when the context has it, and returns its Response', async () => {
    const app = routes();
    bindHttp(app, [getUser]);
    const calls: unknown[][] = [];
    const made = new Response('made by respond');
    const response = await app.handler('GET /users/:id')(
      context({
        params: { id: '7' },
        respond: (...args) => {
          calls.push(args);
          return made;
        },
      }),
    );
    expect(response).toBe(made);
    const body = '{"id":7,"name":"Zoë"}';
    expect(calls).toEqual([
      [
        body,
        {
          status: 200,
          headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) },
        },
      ],
    ]);
  });

  it('hands null and no Content-Length to ctx.respond for a 204', async () => {
    const app = routes();
    bindHttp(app, [removeUser]);
    const calls: unknown[][] = [];
    await app.handler('DELETE /users/:id')(
      context({
        params: { id: '7' },
        respond: (...args) => {
          calls.push(args);
          return new Response(null, { status: 204 });
        },
      }),
    );
    expect(calls).toEqual([[null, { status: 204, headers: { 'x-removed': '1' } }]]);
  });

  it('builds a WHATWG Response with the same status, headers and body when the context has no respond', async () => {
    const app = routes();
    bindHttp(app, [getUser, removeUser]);
    const response = await app.handler('GET /users/:id')(context({ params: { id: '7' } }));
    expect(response).toBeInstanceOf(Response);
    expect(response.status).toBe(200);
    expect(Object.fromEntries(response.headers)).toEqual({
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength('{"id":7,"name":"Zoë"}')),
    });
    expect(await response.text()).toBe('{"id":7,"name":"Zoë"}');
  });

  it('answers problem+json through ctx.respond too', async () => {
    const app = routes();
    bindHttp(app, [getUser]);
    const calls: Array<[string | null, { status?: number; headers?: Record<string, string> }]> = [];
    await app.handler('GET /users/:id')(
      context({
        params: { id: 'x' },
        respond: (body, init = {}) => {
          calls.push([body, init]);
          return new Response(body, init);
        },
      }),
    );
    const [body, init] = calls[0] ?? [];
    expect(init?.status).toBe(400);
    expect(init?.headers?.['content-type']).toBe('application/problem+json');
    expect(init?.headers?.['content-length']).toBe(String(Buffer.byteLength(String(body))));
  });
});

describe('@plinth/http binding: the hot path', () => {
  it('returns the Response itself, not a promise, when the definition answers synchronously', () => {
    const app = routes();
    bindHttp(app, [getUser]);
    const made = new Response('made by respond');
    const outcome = app.handler('GET /users/:id')(context({ params: { id: '7' }, respond: () => made }));
    expect(outcome).toBe(made);
  });

  it('still rejects, not throws, what a synchronous definition forwards', async () => {
    const app = routes();
    bindHttp(app, [getUser], { forwardErrors: true });
    let outcome: unknown;
    expect(() => {
      outcome = app.handler('GET /users/:id')(context({ params: { id: 'x' } }));
    }).not.toThrow();
    await expect(outcome).rejects.toMatchObject({ status: 400 });
  });

  it('reads params, query and body without building ctx.request', async () => {
    const search = defineHandler({
      method: 'POST',
      path: '/teams/:team/search',
      schema: {
        params: z.object({ team: z.string() }),
        querystring: z.object({ page: z.coerce.number() }),
        body: z.object({ text: z.string() }),
        response: { 200: z.object({ team: z.string(), page: z.number(), text: z.string() }) },
      },
      handle: ({ params, query, body }) => ({ team: params.team, page: query.page, text: body.text }),
    });
    const app = routes();
    bindHttp(app, [search]);
    const ctx = context({
      params: { team: 'core' },
      query: { page: '2' },
      headers: { 'content-type': 'application/json', 'content-length': '15' },
      body: { text: 'hello' },
    });
    const response = await app.handler('POST /teams/:team/search')(ctx);
    expect(await response.json()).toEqual({ team: 'core', page: 2, text: 'hello' });
    expect(ctx.requestReads).toBe(0);
  });
});
