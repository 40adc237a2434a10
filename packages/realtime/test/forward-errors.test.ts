// forwardErrors of the Express and Fastify eventStream under real Express 5 and Fastify 5 with
// @plinth/observability's request logger and error handler: a malformed Last-Event-ID forwarded to the
// host is answered by the app's handler (requestId, instance) with the same status, code and detail as
// the problem the adapter answers itself; and the fetch eventStreamResponse's thrown error is answered
// by an @plinth/http app's error handler the same way.
import type { AddressInfo } from 'node:net';
import { createApp } from '@plinth/http';
import { serve } from '@plinth/http/node';
import * as observe from '@plinth/observability';
import * as observeExpress from '@plinth/observability/express';
import * as observeFastify from '@plinth/observability/fastify';
import express from 'express';
import Fastify from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import { eventStream as expressStream } from '../src/express.js';
import { eventStream as fastifyStream } from '../src/fastify.js';
import { createEventHub, eventStreamResponse } from '../src/index.js';

const logger = observe.createLogger({ level: 'silent' });
const hub = createEventHub();
const closers: Array<() => Promise<unknown>> = [() => hub.close()];
afterAll(async () => {
  for (const stop of closers.reverse()) await stop();
});

async function expressApp(forwardErrors: boolean): Promise<string> {
  const app = express();
  app.use(observeExpress.requestLogger({ logger }));
  app.get('/events', (req, res) => expressStream(req, res, { hub, channel: 'feed', forwardErrors }));
  app.use(observeExpress.errorHandler());
  const server = app.listen(0, '127.0.0.1');
  closers.push(() => new Promise((resolve) => server.close(resolve)));
  await new Promise((resolve) => server.once('listening', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function fastifyApp(forwardErrors: boolean): Promise<string> {
  const app = Fastify();
  await app.register(observeFastify.requestLogger({ logger }));
  await app.register(observeFastify.errorHandler());
  app.get('/events', (request, reply) =>
    fastifyStream(request, reply, { hub, channel: 'feed', forwardErrors }),
  );
  closers.push(() => app.close());
  return app.listen({ port: 0, host: '127.0.0.1' });
}

async function plinthApp(): Promise<string> {
  const app = createApp();
  app.use(observe.requestLogger({ logger }));
  app.use(observe.errorHandler());
  app.get('/events', (ctx) => eventStreamResponse(ctx.request, { hub, channel: 'feed' }));
  const running = await serve(app, { port: 0, hostname: '127.0.0.1' });
  closers.push(() => running.close());
  return running.url.replace(/\/$/, '');
}

async function refused(base: string) {
  const response = await fetch(`${base}/events`, { headers: { 'last-event-id': '1;DROP' } });
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
  it('answers a malformed Last-Event-ID itself by default, through the app error handler with forwardErrors', async () => {
    const own = await refused(await start(false));
    const handled = await refused(await start(true));
    expect(own).toMatchObject({ status: 400, body: { status: 400, code: 'INVALID_LAST_EVENT_ID' } });
    expect(own.body.requestId).toBeUndefined();
    expect(handled.status).toBe(own.status);
    expect(handled.body).toMatchObject({
      status: own.body.status,
      title: own.body.title,
      code: own.body.code,
      detail: own.body.detail,
      instance: '/events',
      requestId: handled.requestId,
    });
  });
});

describe('@plinth/http app with observability', () => {
  it("answers eventStreamResponse's thrown error with its requestId", async () => {
    const handled = await refused(await plinthApp());
    expect(handled).toMatchObject({
      status: 400,
      body: { code: 'INVALID_LAST_EVENT_ID', instance: '/events' },
    });
    expect(handled.body.requestId).toBe(handled.requestId);
  });
});
