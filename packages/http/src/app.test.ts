import { describe, expect, it, vi } from 'vitest';
import { createApp } from './app.js';
import type { Middleware } from './compose.js';
import { HttpError } from './errors.js';
import { empty, json, text } from './response.js';

const request = (path: string, init?: RequestInit) => new Request(`http://local.test${path}`, init);

describe('createApp routing', () => {
  it('answers a route with the handler response and decoded params', async () => {
    const app = createApp();
    app.get('/users/:id', (ctx) => json({ id: ctx.params.id, routePath: ctx.routePath }));
    const response = await app.fetch(request('/users/J%C3%B6rg'));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ id: 'Jörg', routePath: '/users/:id' });
  });

  it('answers 404 problem+json when nothing matches', async () => {
    const app = createApp();
    const response = await app.fetch(request('/missing'));
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(await response.json()).toMatchObject({
      status: 404,
      title: 'Not Found',
      code: 'NOT_FOUND',
    });
  });

  it('answers 405 with an Allow header when only other methods match', async () => {
    const app = createApp();
    app.get('/items', () => text('list'));
    app.post('/items', () => text('created'));
    const response = await app.fetch(request('/items', { method: 'DELETE' }));
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, HEAD, POST, OPTIONS');
    expect(await response.json()).toMatchObject({ status: 405, code: 'METHOD_NOT_ALLOWED' });
  });

  it('answers OPTIONS automatically with the allowed methods', async () => {
    const app = createApp();
    app.put('/items/:id', () => empty());
    const response = await app.fetch(request('/items/1', { method: 'OPTIONS' }));
    expect(response.status).toBe(204);
    expect(response.headers.get('allow')).toBe('PUT, OPTIONS');
  });

  it('answers HEAD from the GET route without a body', async () => {
    const app = createApp();
    app.get('/page', () => text('hello'));
    const response = await app.fetch(request('/page', { method: 'HEAD' }));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(await response.text()).toBe('');
  });

  it('answers 400 for a malformed percent-encoding and keeps serving', async () => {
    const app = createApp();
    app.get('/files/:name', (ctx) => text(ctx.params.name));
    const bad = await app.fetch(request('/files/%E0%A4%A'));
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ code: 'MALFORMED_URL' });
    expect(await (await app.fetch(request('/files/ok'))).text()).toBe('ok');
  });

  it('registers all() for every common method and on() for chosen ones', async () => {
    const app = createApp();
    app.all('/any', (ctx) => text(ctx.method));
    app.on(['PUT', 'patch'], '/some', (ctx) => text(`some ${ctx.method}`));
    expect(await (await app.fetch(request('/any', { method: 'PATCH' }))).text()).toBe('PATCH');
    expect(await (await app.fetch(request('/any', { method: 'DELETE' }))).text()).toBe('DELETE');
    expect(await (await app.fetch(request('/some', { method: 'PATCH' }))).text()).toBe('some PATCH');
    expect((await app.fetch(request('/some', { method: 'POST' }))).status).toBe(405);
  });

  it('rejects invalid handlers, options and prefixes at registration', () => {
    const app = createApp();
    expect(() => app.get('/x', 'nope' as unknown as () => Response)).toThrow('must be the handler function');
    expect(() => app.group('api')).toThrow('must start with "/"');
    expect(() => app.use('nope' as unknown as () => Response)).toThrow('middleware functions');
    expect(() => createApp({ bodyLimit: -1 })).toThrow('bodyLimit');
  });

  it('honours caseSensitive and ignoreTrailingSlash options', async () => {
    const app = createApp({ caseSensitive: false, ignoreTrailingSlash: true });
    app.get('/About', () => text('about'));
    expect((await app.fetch(request('/about/'))).status).toBe(200);
  });

  it('lists every route with method, path and metadata', () => {
    const app = createApp();
    app.get('/', () => text('home'));
    app.post('/users', { meta: { summary: 'Create a user', tags: ['users'] } }, () => empty(201));
    app.group('/api').get('/health', () => text('ok'));
    expect(app.routes).toEqual([
      { method: 'GET', path: '/', meta: {} },
      { method: 'POST', path: '/users', meta: { summary: 'Create a user', tags: ['users'] } },
      { method: 'GET', path: '/api/health', meta: {} },
    ]);
  });

  it('exposes route metadata to handlers', async () => {
    const app = createApp();
    app.get('/x', { meta: { public: true } }, (ctx) => json(ctx.route?.meta));
    expect(await (await app.fetch(request('/x'))).json()).toEqual({ public: true });
  });

  it('rejects conflicting routes at registration with both routes named', () => {
    const app = createApp();
    app.get('/users/:id', () => empty());
    expect(() => app.get('/users/:name', () => empty())).toThrow(
      'Route GET /users/:name conflicts with GET /users/:id',
    );
  });

  it('reports a handler that returns no Response through onError', async () => {
    const app = createApp();
    const seen: unknown[] = [];
    app.onError((error) => {
      seen.push(error);
      return text('handled', { status: 500 });
    });
    app.get('/oops', (() => undefined) as unknown as () => Response);
    const response = await app.fetch(request('/oops'));
    expect(response.status).toBe(500);
    expect((seen[0] as HttpError).code).toBe('ERR_HTTP_NO_RESPONSE');
  });
});

describe('middleware', () => {
  it('reports a middleware whose promise settles to no Response through onError, naming the middleware', async () => {
    const app = createApp();
    const seen: unknown[] = [];
    app.onError((error) => {
      seen.push(error);
      return text('handled', { status: 500 });
    });
    app.use((async (_ctx: unknown, next: () => Promise<Response>) => {
      await next();
    }) as unknown as Middleware);
    app.get('/', () => text('ok'));
    const response = await app.fetch(request('/'));
    expect(response.status).toBe(500);
    expect((seen[0] as HttpError).code).toBe('ERR_HTTP_NO_RESPONSE');
    expect((seen[0] as HttpError).message).toContain('The middleware for GET / returned undefined');
  });

  it('hands a middleware the very promise the next middleware returned (no promise added per layer)', async () => {
    const app = createApp();
    let returned: Promise<Response> | undefined;
    let received: Promise<Response> | undefined;
    app.use((_ctx, next) => {
      received = next();
      return received;
    });
    app.use((_ctx, next) => {
      returned = next();
      return returned;
    });
    app.get('/', () => text('ok'));
    expect((await app.fetch(request('/'))).status).toBe(200);
    expect(received).toBe(returned);
  });

  it('runs global → group → route around the handler, onion-style, with routePath set first', async () => {
    const app = createApp<{ trail: string[] }>();
    const log: string[] = [];
    const layer =
      (name: string): Middleware<{ trail: string[] }> =>
      async (ctx, next) => {
        log.push(`${name}:in:${ctx.routePath}`);
        const response = await next();
        log.push(`${name}:out`);
        return response;
      };
    app.use(layer('global'));
    const api = app.group('/api', (group) => group.use(layer('group')));
    api.get('/users/:id', { middleware: [layer('route')] }, () => {
      log.push('handler');
      return text('ok');
    });
    await app.fetch(request('/api/users/1'));
    expect(log).toEqual([
      'global:in:/api/users/:id',
      'group:in:/api/users/:id',
      'route:in:/api/users/:id',
      'handler',
      'route:out',
      'group:out',
      'global:out',
    ]);
  });

  it('applies middleware added after the routes', async () => {
    const app = createApp();
    app.get('/', () => text('ok'));
    expect((await app.fetch(request('/'))).headers.get('x-late')).toBeNull();
    app.use(async (_ctx, next) => {
      const response = await next();
      response.headers.set('x-late', 'yes');
      return response;
    });
    expect((await app.fetch(request('/'))).headers.get('x-late')).toBe('yes');
  });

  it('runs global middleware on a 404 with routePath undefined', async () => {
    const app = createApp();
    const seen: Array<string | undefined> = [];
    app.use(async (ctx, next) => {
      seen.push(ctx.routePath);
      return next();
    });
    const response = await app.fetch(request('/nowhere'));
    expect(response.status).toBe(404);
    expect(seen).toEqual([undefined]);
  });

  it('does not run group middleware for routes outside the group', async () => {
    const app = createApp();
    const calls: string[] = [];
    app.group('/admin').use(async (_ctx, next) => {
      calls.push('admin');
      return next();
    });
    app.get('/public', () => text('ok'));
    await app.fetch(request('/public'));
    expect(calls).toEqual([]);
  });

  it('shares typed state between middleware and handler', async () => {
    const app = createApp<{ user: { name: string } }>();
    app.use((ctx, next) => {
      ctx.state.user = { name: 'ada' };
      return next();
    });
    app.get('/me', (ctx) => json({ name: ctx.state.user.name }));
    expect(await (await app.fetch(request('/me'))).json()).toEqual({ name: 'ada' });
  });

  it('lets middleware answer without calling next', async () => {
    const app = createApp();
    const handler = vi.fn(() => text('secret'));
    app.use(() => json({ denied: true }, { status: 401 }));
    app.get('/secret', handler);
    const response = await app.fetch(request('/secret'));
    expect(response.status).toBe(401);
    expect(handler).not.toHaveBeenCalled();
  });

  it('turns a second next() call into an error that reaches onError', async () => {
    const app = createApp();
    let code: string | undefined;
    app.onError((error) => {
      code = (error as HttpError).code;
      return text('nope', { status: 500 });
    });
    app.use(async (_ctx, next) => {
      await next();
      return next();
    });
    app.get('/', () => text('ok'));
    expect((await app.fetch(request('/'))).status).toBe(500);
    expect(code).toBe('ERR_HTTP_NEXT_CALLED_TWICE');
  });

  it('sends errors thrown in middleware, handlers and sync code to one onError hook', async () => {
    const app = createApp();
    const errors: string[] = [];
    app.onError((error, ctx) => {
      errors.push(`${ctx.routePath}:${(error as Error).message}`);
      return json({ ok: false }, { status: 418 });
    });
    app.get('/sync', () => {
      throw new Error('sync');
    });
    app.get('/async', async () => {
      await Promise.resolve();
      throw new Error('async');
    });
    app.get('/mw', { middleware: [() => Promise.reject(new Error('middleware'))] }, () => text('x'));
    for (const path of ['/sync', '/async', '/mw']) expect((await app.fetch(request(path))).status).toBe(418);
    expect(errors).toEqual(['/sync:sync', '/async:async', '/mw:middleware']);
  });

  it('answers problem+json by default: 4xx with detail, 5xx without internals', async () => {
    const app = createApp();
    const spy = vi.spyOn(console, 'error').mockImplementation(() => {});
    app.get('/teapot', () => {
      throw new HttpError(409, 'The name is taken.', { headers: { 'retry-after': '5' } });
    });
    app.get('/crash', () => {
      throw new Error('password=hunter2 at db.ts:42');
    });
    app.get('/hidden', () => {
      throw new HttpError(503, 'upstream db-7 refused', { headers: { 'retry-after': '30' } });
    });
    const conflict = await app.fetch(request('/teapot'));
    expect(conflict.status).toBe(409);
    expect(conflict.headers.get('retry-after')).toBe('5');
    expect(await conflict.json()).toEqual({
      type: 'about:blank',
      title: 'Conflict',
      status: 409,
      detail: 'The name is taken.',
      code: 'CONFLICT',
    });
    const crash = await app.fetch(request('/crash'));
    const crashBody = await crash.text();
    expect(crash.status).toBe(500);
    expect(crashBody).not.toContain('hunter2');
    expect(crashBody).not.toContain('.ts');
    expect(JSON.parse(crashBody)).toEqual({
      type: 'about:blank',
      title: 'Internal Server Error',
      status: 500,
      code: 'INTERNAL_SERVER_ERROR',
    });
    const hidden = await app.fetch(request('/hidden'));
    expect(hidden.status).toBe(503);
    expect(hidden.headers.get('retry-after')).toBe('30');
    expect(await hidden.text()).not.toContain('db-7');
    spy.mockRestore();
  });

  it('falls back to a bare 500 when onError itself throws', async () => {
    const app = createApp();
    const spy = vi.spyOn(console, 'error').mockImplementation(() => {});
    app.onError(() => {
      throw new Error('broken hook');
    });
    app.get('/', () => {
      throw new Error('first');
    });
    const response = await app.fetch(request('/'));
    expect(response.status).toBe(500);
    expect(await response.json()).toMatchObject({ status: 500 });
    spy.mockRestore();
  });

  it('uses a custom notFound hook inside global middleware', async () => {
    const app = createApp();
    app.use(async (_ctx, next) => {
      const response = await next();
      response.headers.set('x-global', '1');
      return response;
    });
    app.notFound((ctx) => json({ missing: ctx.path }, { status: 404 }));
    const response = await app.fetch(request('/ghost'));
    expect(response.status).toBe(404);
    expect(response.headers.get('x-global')).toBe('1');
    expect(await response.json()).toEqual({ missing: '/ghost' });
  });
});

describe('groups and mounting', () => {
  it('mounts a sub-app under a prefix, with its middleware inside the parent’s, including routes added later', async () => {
    const admin = createApp();
    admin.use(async (_ctx, next) => {
      const response = await next();
      response.headers.append('x-trail', 'admin');
      return response;
    });
    admin.get('/', () => text('admin home'));
    const app = createApp();
    app.use(async (_ctx, next) => {
      const response = await next();
      response.headers.append('x-trail', 'root');
      return response;
    });
    app.mount('/admin', admin);
    admin.get('/users/:id', (ctx) => text(`user ${ctx.params.id} via ${ctx.routePath}`));
    const home = await app.fetch(request('/admin'));
    expect(await home.text()).toBe('admin home');
    expect(home.headers.get('x-trail')).toBe('admin, root');
    expect(await (await app.fetch(request('/admin/users/7'))).text()).toBe('user 7 via /admin/users/:id');
    expect(app.routes.map((route) => route.path)).toEqual(['/admin', '/admin/users/:id']);
  });

  it('nests groups and keeps prefixes', async () => {
    const app = createApp();
    app.group('/api', (api) => {
      api.group('/v1').get('/ping', () => text('pong'));
    });
    expect(await (await app.fetch(request('/api/v1/ping'))).text()).toBe('pong');
  });

  it('rejects a mounted route that collides with an existing one', () => {
    const app = createApp();
    app.get('/admin/users', () => text('mine'));
    const admin = createApp();
    admin.get('/users', () => text('theirs'));
    expect(() => app.mount('/admin', admin)).toThrow('conflicts with GET /admin/users');
  });
});

describe('cookies on the context', () => {
  it('reads request cookies and sets response cookies with secure defaults', async () => {
    const app = createApp();
    app.get('/', (ctx) => {
      ctx.cookies.set('seen', ctx.cookies.get('session') ?? 'none');
      ctx.cookies.delete('old');
      return text('ok');
    });
    const response = await app.fetch(request('/', { headers: { cookie: 'session=abc%20def; other=1' } }));
    expect(response.headers.getSetCookie()).toEqual([
      'seen=abc%20def; Path=/; HttpOnly; SameSite=Lax',
      'old=; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Path=/; HttpOnly; SameSite=Lax',
    ]);
  });

  it('adds cookies even to responses with immutable headers', async () => {
    const app = createApp();
    app.get('/', (ctx) => {
      ctx.cookies.set('a', '1');
      return Response.redirect('http://local.test/next', 302);
    });
    const response = await app.fetch(request('/'));
    expect(response.status).toBe(302);
    expect(response.headers.getSetCookie()).toEqual(['a=1; Path=/; HttpOnly; SameSite=Lax']);
  });
});

describe('context', () => {
  it('exposes the WHATWG request, url, query and headers', async () => {
    const app = createApp();
    app.get('/search', (ctx) =>
      json({
        isRequest: ctx.request instanceof Request,
        url: ctx.url.href,
        tags: ctx.query.all('tag'),
        page: ctx.query.integer('page'),
        agent: ctx.header('User-Agent'),
      }),
    );
    const response = await app.fetch(
      request('/search?tag=a&tag=b&page=2', { headers: { 'user-agent': 'vitest' } }),
    );
    expect(await response.json()).toEqual({
      isRequest: true,
      url: 'http://local.test/search?tag=a&tag=b&page=2',
      tags: ['a', 'b'],
      page: 2,
      agent: 'vitest',
    });
  });

  it('answers 400 for a malformed typed query value', async () => {
    const app = createApp();
    app.get('/list', (ctx) => json({ page: ctx.query.integer('page') }));
    const response = await app.fetch(request('/list?page=two'));
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ code: 'INVALID_QUERY' });
  });

  it('passes the request signal through ctx.signal', async () => {
    const app = createApp();
    const controller = new AbortController();
    let seen: AbortSignal | undefined;
    app.get('/', (ctx) => {
      seen = ctx.signal;
      return text('ok');
    });
    await app.fetch(request('/', { signal: controller.signal }));
    controller.abort();
    expect(seen?.aborted).toBe(true);
  });
});
