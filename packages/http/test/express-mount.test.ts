// plinthExpress as a faithful citizen of an Express 5 app: passport-style req.user, req.session and
// res.locals through the host bridge, raw bodies behind express.json(), the wrong-method option, the
// HTML-404 recipe, routePath for logs, and TRACE.
import { createHmac } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import passport from 'passport';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expressHost, plinthExpress, rawBody } from '../src/express.js';
import { createApp, type HttpError, json, problemFromError, text } from '../src/index.js';
import { rawRequest } from './raw-http.js';

const SECRET = 'whsec_test';
const sign = (body: Uint8Array | string) => createHmac('sha256', SECRET).update(body).digest('hex');

// A passport strategy of our own: passport.authenticate() sets req.user exactly as with any strategy.
class BearerHeaderStrategy extends passport.Strategy {
  override name = 'bearer-header';
  override authenticate(req: express.Request): void {
    if (req.headers.authorization === 'Bearer u1') this.success({ id: 'u1', name: 'Ada' });
    else this.pass();
  }
}

// An error class of another package (observability's NotFoundError has this shape).
class NotFoundError extends Error {
  readonly status = 404;
  readonly code = 'NOT_FOUND';
}

type User = { id: string; name: string };

function buildApp() {
  const app = createApp<{ user: User | null }>();
  app.get('/users/:id', (ctx) => json({ id: ctx.params.id }));
  app.get('/me', (ctx) => {
    const { req, res } = expressHost(ctx);
    return json({
      user: req.user ?? null,
      session: (req as { session?: unknown }).session ?? null,
      tenant: res.locals.tenant ?? null,
      state: ctx.state.user,
    });
  });
  app.post('/webhook', async (ctx) => {
    const valid = sign(await ctx.body.bytes()) === ctx.header('x-signature');
    return json({ valid, event: await ctx.body.json() });
  });
  app.post('/json', async (ctx) => json({ body: await ctx.body.json() }));
  app.post('/text', async (ctx) => text(await ctx.body.text()));
  app.get('/missing-order', () => {
    throw new NotFoundError('No order 7.');
  });
  return app;
}

describe('plinthExpress in an Express 5 app', () => {
  let server: Server;
  let url: string;
  let port: number;
  const routePaths: string[] = [];
  const errors: unknown[] = [];

  beforeAll(async () => {
    const authenticator = new passport.Passport();
    authenticator.use(new BearerHeaderStrategy());
    const strictApp = buildApp();
    const parsedApp = buildApp().onError((error) => {
      errors.push(error);
      return problemFromError(error);
    });

    const host = express();
    host.use((req, res, next) => {
      res.on('finish', () => {
        const routePath = (req as { routePath?: string }).routePath;
        if (routePath !== undefined) routePaths.push(`${req.method} ${routePath}`);
      });
      next();
    });
    host.use(authenticator.initialize());
    host.use(authenticator.authenticate('bearer-header', { session: false }));
    host.use((req, res, next) => {
      (req as { session?: unknown }).session = { views: 3 };
      res.locals.tenant = 'acme';
      next();
    });
    // Body parsers mounted before Plinth, keeping the raw bytes.
    host.use('/api', express.json({ verify: rawBody }));
    host.use('/api', plinthExpress(buildApp(), { state: (req) => ({ user: (req.user as User) ?? null }) }));
    // Body parsers mounted before Plinth without keeping the raw bytes.
    host.use('/lossy', express.json(), plinthExpress(parsedApp));
    host.use('/strict', plinthExpress(strictApp, { methodNotAllowed: 'answer' }));
    // express.raw() leaves the exact bytes on req.body.
    host.use('/bytes', express.raw({ type: '*/*' }), plinthExpress(buildApp()));
    // The HTML-404 recipe: an unknown path becomes a convention error for the error handler below.
    host.use('/recipe', (_req, _res, next) => next(new NotFoundError('No route here.')));
    host.use((_req, res) => {
      res.status(404).type('html').send('<h1>Express 404</h1>');
    });
    host.use((error: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
      const problem = problemFromError(error);
      res.status(problem.status);
      problem.headers.forEach((value, name) => {
        res.setHeader(name, value);
      });
      problem.text().then((body) => res.end(body));
    });
    server = host.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    port = (server.address() as AddressInfo).port;
    url = `http://127.0.0.1:${port}`;
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('gives handlers req.user from passport, req.session and res.locals, and seeds ctx.state', async () => {
    const signedIn = await fetch(`${url}/api/me`, { headers: { authorization: 'Bearer u1' } });
    expect(await signedIn.json()).toEqual({
      user: { id: 'u1', name: 'Ada' },
      session: { views: 3 },
      tenant: 'acme',
      state: { id: 'u1', name: 'Ada' },
    });
    const anonymous = await fetch(`${url}/api/me`);
    expect(await anonymous.json()).toMatchObject({ user: null, state: null });
  });

  it('sets the full route pattern on req.routePath for request logs', async () => {
    await fetch(`${url}/api/users/42`);
    expect(routePaths).toContain('GET /api/users/:id');
  });

  it('verifies a webhook HMAC over the raw body behind express.json({ verify: rawBody })', async () => {
    const body = '{ "event":"paid",\n  "amount": 4200, "note": "caf\u00e9" }';
    const response = await fetch(`${url}/api/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-signature': sign(body) },
      body,
    });
    expect(await response.json()).toEqual({
      valid: true,
      event: { event: 'paid', amount: 4200, note: 'caf\u00e9' },
    });
  });

  it('answers empty and invalid UTF-8 JSON bodies with 400 MALFORMED_BODY, as serve() does', async () => {
    const bodies: BodyInit[] = ['', new Uint8Array([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d])];
    for (const body of bodies) {
      const response = await fetch(`${url}/api/json`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ code: 'MALFORMED_BODY' });
    }
  });

  it('refuses text() with a typed error saying how to mount when the raw bytes are gone; json() reuses the parsed value', async () => {
    const json = await fetch(`${url}/lossy/json`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"a":1}',
    });
    expect(await json.json()).toEqual({ body: { a: 1 } });
    const raw = await fetch(`${url}/lossy/text`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"a":  1}',
    });
    expect(raw.status).toBe(500);
    const error = errors.at(-1) as HttpError;
    expect(error.code).toBe('ERR_HTTP_RAW_BODY_UNAVAILABLE');
    expect(error.message).toContain('verify: rawBody');
  });

  it('takes the bytes express.raw() left on req.body as the raw body', async () => {
    const body = '{ "event":"paid" }';
    const response = await fetch(`${url}/bytes/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-signature': sign(body) },
      body,
    });
    expect(await response.json()).toEqual({ valid: true, event: { event: 'paid' } });
  });

  it('hands a wrong method on to Express by default, and answers 405/OPTIONS when asked', async () => {
    const fallthrough = await fetch(`${url}/api/users/42`, { method: 'DELETE' });
    expect(fallthrough.status).toBe(404);
    expect(await fallthrough.text()).toBe('<h1>Express 404</h1>');
    const answered = await fetch(`${url}/strict/users/42`, { method: 'DELETE' });
    expect(answered.status).toBe(405);
    expect(answered.headers.get('allow')).toBe('GET, HEAD, OPTIONS');
    expect(await answered.json()).toMatchObject({ code: 'METHOD_NOT_ALLOWED' });
    const options = await fetch(`${url}/strict/users/42`, { method: 'OPTIONS' });
    expect(options.status).toBe(204);
    expect(options.headers.get('allow')).toBe('GET, HEAD, OPTIONS');
    expect((await fetch(`${url}/strict/elsewhere`)).status).toBe(404);
  });

  it('turns an unknown path into problem+json with next(new NotFoundError())', async () => {
    const response = await fetch(`${url}/recipe/anything`);
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(await response.json()).toMatchObject({ status: 404, code: 'NOT_FOUND', detail: 'No route here.' });
  });

  it('answers another package’s 404 error thrown in a handler as 404', async () => {
    const response = await fetch(`${url}/api/missing-order`);
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ title: 'Not Found', detail: 'No order 7.' });
  });

  it('never answers TRACE with a 500', async () => {
    const send = (target: string) =>
      rawRequest(port, `TRACE ${target} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`);
    expect((await send('/api/users/42')).status).toBe(404);
    const strict = await send('/strict/users/42');
    expect(strict.status).toBe(405);
    expect(strict.text.toLowerCase()).toContain('allow: get, head, options');
  });

  it('refuses the host bridge outside its adapter with a typed error', async () => {
    const app = createApp();
    app.get('/', (ctx) => json(expressHost(ctx)));
    const caught: unknown[] = [];
    app.onError((error) => {
      caught.push(error);
      return problemFromError(error);
    });
    expect((await app.fetch(new Request('http://localhost/'))).status).toBe(500);
    expect((caught[0] as HttpError).code).toBe('ERR_HTTP_NOT_MOUNTED');
  });
});
