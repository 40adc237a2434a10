// The error seam under real hosts with @plinth/observability's request logger and error handler: the
// fetch middleware throw, and with forwardErrors the Express 5 / Fastify 5 ones hand the refusal to the
// host, whose handler answers it (requestId, instance) with the same status, code, detail and headers as
// the middleware answers by itself. A 401 without credentials carries the code any generic 401 carries.
import type { AddressInfo } from 'node:net';
import { createApp, json } from '@plinth/http';
import { serve } from '@plinth/http/node';
import * as observe from '@plinth/observability';
import * as observeExpress from '@plinth/observability/express';
import * as observeFastify from '@plinth/observability/fastify';
import express from 'express';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as onExpress from '../src/adapters/express.js';
import * as onFastify from '../src/adapters/fastify.js';
import * as onFetch from '../src/adapters/fetch.js';
import { generateSigningKey, type SigningKey } from '../src/keys.js';
import { createTokenSigner } from '../src/token-signer.js';
import { createTokenVerifier } from '../src/token-verifier.js';

const issuer = 'https://auth.example';
const audience = 'api';
const logLines: string[] = [];
const logger = observe.createLogger({
  level: 'info',
  destination: { write: (line: string) => void logLines.push(line) },
});
const closers: Array<() => Promise<unknown>> = [];
afterAll(() => Promise.all(closers.map((stop) => stop())));

let key: SigningKey;
let verifier: ReturnType<typeof createTokenVerifier>;
const tokens: Record<'expired' | 'reader', string> = { expired: '', reader: '' };
beforeAll(async () => {
  key = await generateSigningKey('ES256', { kid: 'k1' });
  verifier = createTokenVerifier({ keys: [key], issuer, audience });
  tokens.reader = await createTokenSigner({ keys: [key], issuer, audience }).sign({ sub: 'u1' });
  tokens.expired = await createTokenSigner({
    keys: [key],
    issuer,
    audience,
    now: () => Date.now() - 3_600_000,
  }).sign({ sub: 'u1' });
});

/** Routes: GET /me (authenticated), DELETE /posts (needs posts:delete), GET /plain (throws observability's 401). */
type Start = (forwardErrors: boolean) => Promise<number>;

const plain401 = () => new observe.UnauthorizedError(undefined, { challenge: 'Bearer realm="api"' });

async function expressApp(forwardErrors: boolean): Promise<number> {
  const app = express();
  app.use(observeExpress.requestLogger({ logger }));
  app.get('/plain', () => {
    throw plain401();
  });
  app.use(onExpress.authenticate({ bearer: verifier, forwardErrors }));
  app.get('/me', (_req, res) => {
    res.json({ ok: true });
  });
  app.delete('/posts', onExpress.requirePermission('posts:delete', { forwardErrors }), (_req, res) => {
    res.json({ ok: true });
  });
  app.use(observeExpress.errorHandler());
  const server = app.listen(0, '127.0.0.1');
  closers.push(
    () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(resolve);
      }),
  );
  await new Promise((resolve) => server.once('listening', resolve));
  return (server.address() as AddressInfo).port;
}

async function fastifyApp(forwardErrors: boolean): Promise<number> {
  const app = Fastify({ allowErrorHandlerOverride: false });
  await app.register(observeFastify.requestLogger({ logger }));
  await app.register(observeFastify.errorHandler());
  app.get('/plain', async () => {
    throw plain401();
  });
  await app.register(async (scope) => {
    await scope.register(onFastify.auth, { bearer: verifier, forwardErrors });
    scope.get('/me', async () => ({ ok: true }));
    scope.delete(
      '/posts',
      { preHandler: onFastify.requirePermission('posts:delete', { forwardErrors }) },
      async () => ({ ok: true }),
    );
  });
  closers.push(() => app.close());
  await app.listen({ port: 0, host: '127.0.0.1' });
  return (app.server.address() as AddressInfo).port;
}

interface Answer {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

async function send(port: number, path: string, token?: string, method = 'GET'): Promise<Answer> {
  const response = await fetch(`http://127.0.0.1:${port}${path}`, {
    method,
    headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
  });
  expect(response.headers.get('content-type')).toBe('application/problem+json');
  return { status: response.status, headers: response.headers, body: await response.json() };
}

async function refusals(port: number) {
  return {
    missing: await send(port, '/me'),
    expired: await send(port, '/me', tokens.expired),
    forbidden: await send(port, '/posts', tokens.reader, 'DELETE'),
    plain: await send(port, '/plain'),
  };
}

function expectSame(direct: Answer, forwarded: Answer, path: string): void {
  expect(forwarded.status).toBe(direct.status);
  expect(forwarded.body).toMatchObject({
    type: direct.body.type,
    title: direct.body.title,
    status: direct.body.status,
    detail: direct.body.detail,
    code: direct.body.code,
  });
  expect(forwarded.headers.get('www-authenticate')).toBe(direct.headers.get('www-authenticate'));
  // Only the app's error handler adds these; the middleware alone cannot.
  expect(direct.body.requestId).toBeUndefined();
  expect(forwarded.body.requestId).toBe(forwarded.headers.get('x-request-id'));
  expect(forwarded.body.instance).toBe(path);
  expect(forwarded.body.traceId).toMatch(/^[0-9a-f]{32}$/);
}

describe.each<[string, Start]>([
  ['Express 5', expressApp],
  ['Fastify 5', fastifyApp],
])('%s with observability', (_host, start) => {
  it('answers 401/403 itself by default, and through the app handler with forwardErrors', async () => {
    const direct = await refusals(await start(false));
    const forwarded = await refusals(await start(true));

    expect(direct.missing.status).toBe(401);
    expect(direct.missing.body.code).toBe('UNAUTHORIZED');
    expect(direct.missing.headers.get('www-authenticate')).toBe('Bearer realm="api"');
    // The same failure, the same code: observability's own UnauthorizedError says UNAUTHORIZED too.
    expect(direct.plain.status).toBe(401);
    expect(direct.plain.body.code).toBe(direct.missing.body.code);
    expectSame(direct.missing, forwarded.missing, '/me');

    expect(direct.expired.body.code).toBe('TOKEN_EXPIRED');
    expect(direct.expired.headers.get('www-authenticate')).toContain('error="invalid_token"');
    expectSame(direct.expired, forwarded.expired, '/me');

    expect(direct.forbidden.status).toBe(403);
    expect(direct.forbidden.body.code).toBe('FORBIDDEN');
    expectSame(direct.forbidden, forwarded.forbidden, '/posts');

    for (const answer of [...Object.values(direct), ...Object.values(forwarded)]) {
      expect(JSON.stringify(answer.body)).not.toMatch(/ERR_AUTH|eyJ/);
    }
    const logs = logLines.join('');
    expect(logs).toContain('"status":401');
    expect(logs).not.toContain(tokens.expired.split('.')[1]);
    expect(logs).not.toContain(tokens.reader.split('.')[2]);
  });
});

describe('@plinth/http app with observability', () => {
  it("throws refusals, so the app's error handler answers them with its requestId", async () => {
    const app = createApp();
    app.use(observe.requestLogger({ logger }));
    app.use(observe.errorHandler());
    app.get('/plain', () => {
      throw plain401();
    });
    app.use(onFetch.authenticate({ bearer: verifier }));
    app.get('/me', () => json({ ok: true }));
    app.delete('/posts', { middleware: [onFetch.requirePermission('posts:delete')] }, () =>
      json({ ok: true }),
    );
    const server = await serve(app, { port: 0, hostname: '127.0.0.1' });
    closers.push(() => server.close({ timeout: 1_000 }));
    const answers = await refusals(server.port);
    expect(answers.missing).toMatchObject({
      status: 401,
      body: { code: 'UNAUTHORIZED', instance: '/me', requestId: answers.missing.headers.get('x-request-id') },
    });
    expect(answers.missing.body.code).toBe(answers.plain.body.code);
    expect(answers.missing.headers.get('www-authenticate')).toBe('Bearer realm="api"');
    expect(answers.expired.body).toMatchObject({ status: 401, code: 'TOKEN_EXPIRED' });
    expect(answers.expired.headers.get('www-authenticate')).toContain('error="invalid_token"');
    expect(answers.forbidden.body).toMatchObject({ status: 403, code: 'FORBIDDEN', instance: '/posts' });
  });
});
