// forwardErrors under real Express 5 and Fastify 5 with @plinth/observability's request logger and
// error handler: a request error forwarded to the host is answered by the app's handler (requestId,
// instance) with the same status, code, detail and errors[] as the problem the adapter answers itself.
// Fastify: with forwardErrors the plugin installs no error handler, so it shares a scope with
// observability's even under allowErrorHandlerOverride: false (FSTWRN004 otherwise).
import type { AddressInfo } from 'node:net';
import { createLogger } from '@plinth/observability';
import * as observeExpress from '@plinth/observability/express';
import * as observeFastify from '@plinth/observability/fastify';
import express from 'express';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import { validate } from '../src/express.js';
import { validation } from '../src/fastify.js';
import { orderSchema } from './support/routes.js';

const logger = createLogger({ level: 'silent' });
const closers: Array<() => Promise<unknown>> = [];
afterAll(() => Promise.all(closers.map((stop) => stop())));
const limits = { maxBytes: 2048 };

async function expressApp(forwardErrors: boolean): Promise<string> {
  const app = express();
  app.use(observeExpress.requestLogger({ logger }));
  app.post('/orders/:id', validate(orderSchema, { ...limits, forwardErrors }), (_req, res) => {
    res.status(201).end();
  });
  app.use(observeExpress.errorHandler());
  const server = app.listen(0, '127.0.0.1');
  closers.push(() => new Promise((resolve) => server.close(resolve)));
  await new Promise((resolve) => server.once('listening', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function fastifyApp(forwardErrors: boolean): Promise<string> {
  const app: FastifyInstance = Fastify({ allowErrorHandlerOverride: false });
  await app.register(observeFastify.requestLogger({ logger }));
  await app.register(observeFastify.errorHandler());
  const routes = async (scope: FastifyInstance) => {
    await scope.register(validation, { ...limits, forwardErrors });
    scope.post('/orders/:id', { schema: { ...orderSchema, response: {} } }, async (_request, reply) =>
      reply.code(201).send(),
    );
  };
  // Without forwardErrors the plugin brings its own error handler: it needs a scope of its own.
  if (forwardErrors) await routes(app);
  else await app.register(routes);
  closers.push(() => app.close());
  return app.listen({ port: 0, host: '127.0.0.1' });
}

const json = { 'content-type': 'application/json' };
const requests: Array<[string, RequestInit & { path?: string }]> = [
  ['a schema failure', { headers: json, body: JSON.stringify({ items: [{}] }) }],
  ['malformed JSON', { headers: json, body: '{"items":[' }],
  ['a __proto__ key', { headers: json, body: '{"items":[],"password":"correct horse","__proto__":{}}' }],
  ['a body past maxBytes', { headers: json, body: JSON.stringify({ note: 'x'.repeat(4096) }) }],
  ['a body that is not JSON', { headers: { 'content-type': 'text/plain' }, body: 'hello' }],
];

async function problemOf(base: string, init: RequestInit) {
  const response = await fetch(`${base}/orders/7`, { method: 'POST', ...init });
  expect(response.headers.get('content-type')).toBe('application/problem+json');
  return {
    status: response.status,
    requestId: response.headers.get('x-request-id'),
    body: await response.json(),
  };
}

describe.each([
  ['Express 5', expressApp],
  ['Fastify 5', fastifyApp],
])('%s with observability', (_host, start) => {
  it('answers request errors itself by default, through the app error handler with forwardErrors', async () => {
    const direct = await start(false);
    const forwarded = await start(true);
    const codes: string[] = [];
    for (const [, init] of requests) {
      const own = await problemOf(direct, init);
      const handled = await problemOf(forwarded, init);
      codes.push(own.body.code);
      expect(handled.status).toBe(own.status);
      expect(handled.body).toMatchObject({
        status: own.body.status,
        title: own.body.title,
        code: own.body.code,
        detail: own.body.detail,
      });
      expect(handled.body.errors).toEqual(own.body.errors);
      expect(own.body.requestId).toBeUndefined();
      expect(handled.body.requestId).toBe(handled.requestId);
      expect(handled.body.instance).toBe('/orders/7');
    }
    expect(codes).toEqual([
      'VALIDATION_FAILED',
      'MALFORMED_BODY',
      'MALFORMED_BODY',
      'CONTENT_TOO_LARGE',
      'UNSUPPORTED_MEDIA_TYPE',
    ]);
  });
});

describe('Fastify error handler sharing', () => {
  it('the plugin without forwardErrors sets an error handler, refused next to observability under allowErrorHandlerOverride: false', async () => {
    const app = Fastify({ allowErrorHandlerOverride: false });
    await app.register(observeFastify.errorHandler());
    await expect(app.register(validation)).rejects.toMatchObject({
      code: 'FST_ERR_ERROR_HANDLER_ALREADY_SET',
    });
    await app.close();
  });

  it('with forwardErrors it shares the scope, whichever registers first', async () => {
    const app = Fastify({ allowErrorHandlerOverride: false });
    await app.register(validation, { forwardErrors: true });
    await app.register(observeFastify.errorHandler());
    app.post('/n', { schema: { body: orderSchema.body } }, async () => ({ ok: true }));
    const answer = await app.inject({ method: 'POST', url: '/n', payload: { items: 'no' } });
    expect(answer.statusCode).toBe(400);
    expect(answer.json()).toMatchObject({ code: 'VALIDATION_FAILED', instance: '/n' });
    await app.close();
  });
});
