// plinthFastify as a faithful citizen of a Fastify 5 app: other plugins' headers and hooks, Fastify's
// view of the path, raw bodies, the wrong-method option, routePath for logs and the host bridge.
import { createHmac } from 'node:crypto';
import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fastifyHost, plinthFastify } from '../src/fastify.js';
import { createApp, json, stream } from '../src/index.js';
import { rawRequest } from './raw-http.js';

// How a user types a decorator (as @fastify/jwt does for request.user).
declare module 'fastify' {
  interface FastifyRequest {
    user: { id: string } | null;
  }
}

const SECRET = 'whsec_test';

function sign(body: Uint8Array | string): string {
  return createHmac('sha256', SECRET).update(body).digest('hex');
}

function buildApp() {
  const app = createApp<{ user?: { id: string } | null }>();
  app.get('/users/:id', (ctx) => json({ id: ctx.params.id }));
  app.get('/cookies', (ctx) => {
    ctx.cookies.set('a', '1');
    ctx.cookies.set('b', '2');
    return stream(
      (async function* () {
        yield 'one,';
        yield 'two';
      })(),
      { headers: { 'content-type': 'text/plain' } },
    );
  });
  app.post('/webhook', async (ctx) => {
    const bytes = await ctx.body.bytes();
    const valid = sign(bytes) === ctx.header('x-signature');
    return json({ valid, event: await ctx.body.json() });
  });
  app.post('/json', async (ctx) => json({ body: await ctx.body.json() }));
  app.get(
    '/decorated',
    {
      middleware: [
        async (_ctx, next) => {
          const response = await next();
          response.headers.set('x-plinth-middleware', 'ran');
          const copy = response.clone();
          return new Response(`[${await copy.text()}]`, response);
        },
      ],
    },
    () => json({ ok: true }),
  );
  app.get('/me', (ctx) => json({ host: fastifyHost(ctx).request.user, state: ctx.state.user ?? null }));
  app.get('/not-found-error', () => {
    // An error class of another package (observability's NotFoundError has this shape).
    class NotFoundError extends Error {
      readonly status = 404;
    }
    throw new NotFoundError('No such order.');
  });
  return app;
}

describe('plinthFastify among other Fastify plugins', () => {
  let fastify: FastifyInstance;
  let url: string;
  let port: number;
  const responded: string[] = [];

  beforeAll(async () => {
    fastify = Fastify({ routerOptions: { ignoreDuplicateSlashes: true } });
    await fastify.register(cors, { origin: 'https://app.example', credentials: true });
    await fastify.register(helmet);
    fastify.decorateRequest('user', null);
    fastify.addHook('onRequest', async (request, reply) => {
      reply.header('x-request-id', 'req-1');
      const token = request.headers.authorization;
      request.user = token === 'Bearer u1' ? { id: 'u1' } : null;
    });
    fastify.addHook('onSend', async (_request, reply, payload) => {
      reply.header('x-on-send', 'ran');
      return payload;
    });
    fastify.addHook('onResponse', async (request, reply) => {
      responded.push(
        `${request.method} ${reply.statusCode} ${(request.raw as { routePath?: string }).routePath ?? '-'}`,
      );
    });
    await fastify.register(
      async (scoped) => {
        await scoped.register(plinthFastify, {
          app: buildApp(),
          basePath: '/api',
          state: (request: FastifyRequest) => ({ user: request.user }),
        });
      },
      { prefix: '/v1' },
    );
    await fastify.register(plinthFastify, {
      app: buildApp(),
      basePath: '/strict',
      methodNotAllowed: 'answer',
    });
    url = await fastify.listen({ port: 0, host: '127.0.0.1' });
    port = Number(new URL(url).port);
  });

  afterAll(() => fastify.close());

  it('sends headers set by @fastify/cors, @fastify/helmet and an onRequest hook, and runs onSend/onResponse', async () => {
    const response = await fetch(`${url}/v1/api/users/42`, { headers: { origin: 'https://app.example' } });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ id: '42' });
    expect(response.headers.get('access-control-allow-origin')).toBe('https://app.example');
    expect(response.headers.get('access-control-allow-credentials')).toBe('true');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(response.headers.get('x-request-id')).toBe('req-1');
    expect(response.headers.get('x-on-send')).toBe('ran');
    expect(responded).toContain('GET 200 /v1/api/users/:id');
  });

  it('answers a CORS preflight for a Plinth route', async () => {
    const response = await fetch(`${url}/v1/api/users/42`, {
      method: 'OPTIONS',
      headers: { origin: 'https://app.example', 'access-control-request-method': 'DELETE' },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('https://app.example');
  });

  it('sends several Set-Cookie headers and a streamed body through the reply', async () => {
    const response = await fetch(`${url}/v1/api/cookies`);
    expect(response.headers.getSetCookie()).toEqual([
      'a=1; Path=/; HttpOnly; SameSite=Lax',
      'b=2; Path=/; HttpOnly; SameSite=Lax',
    ]);
    expect(response.headers.get('x-on-send')).toBe('ran');
    expect(await response.text()).toBe('one,two');
  });

  it('sends a Response that middleware changed or rebuilt, with its headers and body', async () => {
    const response = await fetch(`${url}/v1/api/decorated`);
    expect(response.headers.get('x-plinth-middleware')).toBe('ran');
    expect(response.headers.get('x-request-id')).toBe('req-1');
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(await response.text()).toBe('[{"ok":true}]');
  });

  it('routes absolute-form targets and duplicate slashes as Fastify does', async () => {
    const absolute = await rawRequest(
      port,
      `GET http://localhost:${port}/v1/api/users/42?x=1 HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`,
    );
    expect(absolute.status).toBe(200);
    expect(absolute.text).toContain('{"id":"42"}');
    const slashes = await rawRequest(
      port,
      'GET //v1//api//users//42 HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n',
    );
    expect(slashes.status).toBe(200);
    expect(slashes.text).toContain('{"id":"42"}');
  });

  it('verifies a webhook HMAC over the raw body exactly as the client sent it', async () => {
    const body = '{ "event":"paid",\n  "amount": 4200, "note": "caf\u00e9" }';
    const response = await fetch(`${url}/v1/api/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-signature': sign(body) },
      body,
    });
    expect(await response.json()).toEqual({
      valid: true,
      event: { event: 'paid', amount: 4200, note: 'caf\u00e9' },
    });
  });

  it('answers malformed, empty and invalid UTF-8 JSON bodies with 400 MALFORMED_BODY, as serve() does', async () => {
    const bodies: Array<BodyInit> = [
      '{"a":',
      '',
      new Uint8Array([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d]),
    ];
    for (const body of bodies) {
      const response = await fetch(`${url}/v1/api/json`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toBe('application/problem+json');
      expect(await response.json()).toMatchObject({ status: 400, code: 'MALFORMED_BODY' });
    }
  });

  it('applies the app’s body limit, since Fastify leaves the body to Plinth', async () => {
    const small = createApp({ bodyLimit: 16 });
    small.post('/json', async (ctx) => json(await ctx.body.json()));
    const host = Fastify();
    await host.register(plinthFastify, { app: small });
    const response = await host.inject({
      method: 'POST',
      url: '/json',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ text: 'more than sixteen bytes' }),
    });
    expect(response.statusCode).toBe(413);
    expect(response.json()).toMatchObject({ code: 'CONTENT_TOO_LARGE', title: 'Content Too Large' });
    await host.close();
  });

  it('hands a wrong method to Fastify’s 404 by default, and answers 405 with Allow when asked', async () => {
    const fallthrough = await fetch(`${url}/v1/api/users/42`, { method: 'DELETE' });
    expect(fallthrough.status).toBe(404);
    expect(fallthrough.headers.get('allow')).toBeNull();
    const answered = await fetch(`${url}/strict/users/42`, { method: 'DELETE' });
    expect(answered.status).toBe(405);
    expect(answered.headers.get('allow')).toBe('GET, HEAD, OPTIONS');
    expect(await answered.json()).toMatchObject({ code: 'METHOD_NOT_ALLOWED' });
    expect((await fetch(`${url}/strict/nothing-here`, { method: 'DELETE' })).status).toBe(404);
  });

  it('answers OPTIONS with Allow from Plinth when asked (without a CORS plugin taking OPTIONS)', async () => {
    const plain = Fastify();
    await plain.register(plinthFastify, { app: buildApp(), methodNotAllowed: 'answer' });
    const options = await plain.inject({ method: 'OPTIONS', url: '/users/42' });
    expect(options.statusCode).toBe(204);
    expect(options.headers.allow).toBe('GET, HEAD, OPTIONS');
    const fallthrough = Fastify();
    await fallthrough.register(plinthFastify, { app: buildApp() });
    expect((await fallthrough.inject({ method: 'OPTIONS', url: '/users/42' })).statusCode).toBe(404);
    await Promise.all([plain.close(), fallthrough.close()]);
  });

  it('gives handlers Fastify’s request with its decorators, and seeds ctx.state from it', async () => {
    const signedIn = await fetch(`${url}/v1/api/me`, { headers: { authorization: 'Bearer u1' } });
    expect(await signedIn.json()).toEqual({ host: { id: 'u1' }, state: { id: 'u1' } });
    const anonymous = await fetch(`${url}/v1/api/me`);
    expect(await anonymous.json()).toEqual({ host: null, state: null });
  });

  it('answers another package’s 404 error as 404 problem+json', async () => {
    const response = await fetch(`${url}/v1/api/not-found-error`);
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ title: 'Not Found', detail: 'No such order.' });
  });

  it('never answers TRACE with a 500', async () => {
    const send = (target: string) =>
      rawRequest(port, `TRACE ${target} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`);
    expect((await send('/v1/api/users/42')).status).toBe(404);
    expect((await send('/nowhere')).status).toBe(404);
    const strict = await send('/strict/users/42');
    expect(strict.status).toBe(405);
    expect(strict.text.toLowerCase()).toContain('allow: get, head, options');
  });
});
