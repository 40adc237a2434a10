// forwardErrors under real Express 5 and Fastify 5 with @plinth/observability's request logger and
// error handler: a refusal forwarded to the host is answered by the app's handler (requestId,
// instance) with the same status, code and headers as the one the middleware answers itself.
import { createLogger } from '@plinth/observability';
import * as observeExpress from '@plinth/observability/express';
import * as observeFastify from '@plinth/observability/fastify';
import express from 'express';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import { memoryStore } from '../src/drivers/memory.js';
import { expressCsrf, expressRateLimit } from '../src/express.js';
import { fastifyCsrf, fastifyRateLimit } from '../src/fastify.js';
import { frozenClock } from './support/clock.js';
import { type Answer, close, send } from './support/http.js';

const logger = createLogger({ level: 'silent' });
const policies = [{ name: 'default', limit: 1, windowMs: 60_000, algorithm: 'fixed-window' as const }];
const closers: Array<() => Promise<unknown>> = [];
afterAll(() => Promise.all(closers.map((stop) => stop())));

async function expressApp(forwardErrors: boolean): Promise<number> {
  const app = express();
  app.use(observeExpress.requestLogger({ logger }));
  app.use(
    expressRateLimit({
      store: memoryStore(frozenClock),
      policies,
      key: (r) => r.header('x-client') ?? '-',
      forwardErrors,
    }),
  );
  app.use(expressCsrf({ forwardErrors }));
  app.all('/orders', (_req, res) => {
    res.json({ ok: true });
  });
  app.use(observeExpress.errorHandler());
  const server = app.listen(0, '127.0.0.1');
  closers.push(() => close(server));
  await new Promise((resolve) => server.once('listening', resolve));
  return (server.address() as { port: number }).port;
}

async function fastifyApp(forwardErrors: boolean): Promise<number> {
  const app: FastifyInstance = Fastify({ allowErrorHandlerOverride: false });
  await app.register(observeFastify.requestLogger({ logger }));
  await app.register(observeFastify.errorHandler());
  await app.register(fastifyRateLimit, {
    store: memoryStore(frozenClock),
    policies,
    key: (r) => r.header('x-client') ?? '-',
    forwardErrors,
  });
  await app.register(fastifyCsrf, { forwardErrors });
  app.all('/orders', async () => ({ ok: true }));
  closers.push(() => app.close());
  await app.listen({ port: 0, host: '127.0.0.1' });
  return (app.server.address() as { port: number }).port;
}

const crossSite = { method: 'POST', headers: { 'sec-fetch-site': 'cross-site', 'x-client': 'csrf' } };

async function refusals(port: number): Promise<{ limited: Answer; forged: Answer }> {
  await send(port, '/orders', { headers: { 'x-client': 'limited' } });
  const limited = await send(port, '/orders', { headers: { 'x-client': 'limited' } });
  const forged = await send(port, '/orders', crossSite);
  return { limited, forged };
}

function problem(answer: Answer): Record<string, unknown> {
  expect(answer.headers['content-type']).toBe('application/problem+json');
  return JSON.parse(answer.body) as Record<string, unknown>;
}

function expectSameRefusal(direct: Answer, forwarded: Answer, headers: string[]): void {
  const own = problem(direct);
  const handled = problem(forwarded);
  expect(forwarded.status).toBe(direct.status);
  expect(handled).toMatchObject({ status: own.status, code: own.code, title: own.title, detail: own.detail });
  for (const name of headers) expect(forwarded.headers[name]).toBe(direct.headers[name]);
  // Only the app's error handler adds these; the middleware alone cannot.
  expect(own.requestId).toBeUndefined();
  expect(handled.requestId).toBe(forwarded.headers['x-request-id']);
  expect(handled.instance).toBe('/orders');
}

describe.each([
  ['Express 5', expressApp],
  ['Fastify 5', fastifyApp],
])('%s with observability', (_host, start) => {
  it('answers a 429 and a CSRF 403 itself by default, through the app handler with forwardErrors', async () => {
    const direct = await refusals(await start(false));
    const forwarded = await refusals(await start(true));
    expect(direct.limited.status).toBe(429);
    expect(problem(direct.limited).code).toBe('TOO_MANY_REQUESTS');
    expect(direct.limited.headers['retry-after']).toBe('30');
    expectSameRefusal(direct.limited, forwarded.limited, ['retry-after', 'ratelimit', 'ratelimit-policy']);
    expect(direct.forged.status).toBe(403);
    expect(problem(direct.forged).code).toBe('CSRF_ORIGIN_REJECTED');
    expectSameRefusal(direct.forged, forwarded.forged, []);
  });
});
