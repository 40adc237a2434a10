// Server-Sent Events through the fetch, Express 5 and Fastify 5 adapters, with resume from
// Last-Event-ID out of a memory replay buffer, and a malformed Last-Event-ID answered 400.
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import Fastify from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { eventStream as expressStream } from '../src/express.js';
import { eventStream as fastifyStream } from '../src/fastify.js';
import {
  createEventHub,
  eventStreamResponse,
  InvalidLastEventIdError,
  memoryReplayBuffer,
} from '../src/index.js';
import { readEvents } from './support/sse-reader.js';

const cleanup: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

const request = (headers: Record<string, string> = {}) =>
  new Request('http://localhost/events', { headers: { accept: 'text/event-stream', ...headers } });

describe('fetch adapter', () => {
  it('sends the stream headers, a jittered retry and events with ids', async () => {
    const hub = createEventHub();
    cleanup.push(() => hub.close());
    const response = await eventStreamResponse(request(), {
      hub,
      channel: 'news',
      retryMs: 1000,
      retryJitter: 0.5,
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('no-cache, no-transform');
    expect(response.headers.get('x-accel-buffering')).toBe('no');
    const reading = readEvents(response.body!, 2);
    await hub.publish('news', { event: 'headline', data: { title: 'one' } });
    await hub.publish('news', { data: 'two' });
    const { events, retry } = await reading;
    expect(retry).toBeGreaterThanOrEqual(1000);
    expect(retry).toBeLessThanOrEqual(1500);
    expect(events).toEqual([
      { type: 'headline', data: '{"title":"one"}', lastEventId: '1' },
      { type: 'message', data: 'two', lastEventId: '2' },
    ]);
  });

  it('resumes after Last-Event-ID with exactly the missed events, then live ones', async () => {
    const hub = createEventHub();
    cleanup.push(() => hub.close());
    for (let n = 1; n <= 5; n++) await hub.publish('news', { data: `e${n}` });
    const response = await eventStreamResponse(request({ 'last-event-id': '2' }), { hub, channel: 'news' });
    const reading = readEvents(response.body!, 4);
    await hub.publish('news', { data: 'e6' });
    const { events } = await reading;
    expect(events.map((event) => [event.lastEventId, event.data])).toEqual([
      ['3', 'e3'],
      ['4', 'e4'],
      ['5', 'e5'],
      ['6', 'e6'],
    ]);
  });

  it('sends a reset event first when the missed events were trimmed from the buffer', async () => {
    const hub = createEventHub({ replay: memoryReplayBuffer({ size: 2 }) });
    cleanup.push(() => hub.close());
    for (let n = 1; n <= 5; n++) await hub.publish('news', { data: `e${n}` });
    const response = await eventStreamResponse(request({ 'last-event-id': '1' }), { hub, channel: 'news' });
    const { events } = await readEvents(response.body!, 3);
    expect(events.map((event) => event.type)).toEqual(['reset', 'message', 'message']);
    expect(events.slice(1).map((event) => event.data)).toEqual(['e4', 'e5']);
  });

  it("throws a malformed Last-Event-ID as a 400 error that says what to do, for the app's error handler", async () => {
    const hub = createEventHub();
    cleanup.push(() => hub.close());
    const opening = eventStreamResponse(request({ 'last-event-id': 'abc' }), { hub, channel: 'news' });
    await expect(opening).rejects.toBeInstanceOf(InvalidLastEventIdError);
    await expect(opening).rejects.toMatchObject({
      status: 400,
      expose: true,
      title: 'Bad Request',
      code: 'INVALID_LAST_EVENT_ID',
      message: expect.stringContaining('reconnect without the header'),
    });
  });

  it('writes heartbeat comments between events', async () => {
    const response = await eventStreamResponse(request(), { heartbeatMs: 5 });
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    while (!text.includes(':\n\n:\n\n'))
      text += decoder.decode((await reader.read()).value, { stream: true });
    await reader.cancel();
    expect(text).toMatch(/^retry: \d+\n\n(:\n\n)+/);
  });

  it('sends what onOpen sends and stops when the client goes away', async () => {
    const controller = new AbortController();
    let signal: AbortSignal | undefined;
    const response = await eventStreamResponse(
      new Request('http://localhost/events', { signal: controller.signal }),
      {
        onOpen: (stream) => {
          signal = stream.signal;
          stream.send({ id: 'a', data: 'hello' });
        },
      },
    );
    const { events } = await readEvents(response.body!, 1);
    expect(events).toEqual([{ type: 'message', data: 'hello', lastEventId: 'a' }]);
    expect(signal?.aborted).toBe(true);
  });
});

async function serve(server: import('node:http').Server): Promise<string> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  cleanup.push(
    () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(resolve);
      }),
  );
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe.each([
  [
    'Express 5',
    async (hub: ReturnType<typeof createEventHub>) => {
      const app = express();
      app.get('/events', (req, res) => void expressStream(req, res, { hub, channel: 'feed' }));
      return serve(createServer(app));
    },
  ],
  [
    'Fastify 5',
    async (hub: ReturnType<typeof createEventHub>) => {
      const app = Fastify();
      app.addHook('onRequest', async (_request, reply) => {
        reply.header('access-control-allow-origin', '*');
      });
      app.get('/events', (request, reply) => fastifyStream(request, reply, { hub, channel: 'feed' }));
      await app.listen({ port: 0, host: '127.0.0.1' });
      cleanup.push(() => app.close());
      return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    },
  ],
])('%s adapter', (name, start) => {
  it('streams events flushed one by one and resumes from Last-Event-ID', async () => {
    const hub = createEventHub();
    cleanup.push(() => hub.close());
    const base = await start(hub);
    await hub.publish('feed', { data: 'old' });
    await hub.publish('feed', { data: 'missed' });
    const response = await fetch(`${base}/events`, { headers: { 'last-event-id': '1' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(response.headers.get('x-accel-buffering')).toBe('no');
    if (name === 'Fastify 5') expect(response.headers.get('access-control-allow-origin')).toBe('*');
    const reading = readEvents(response.body!, 2);
    await hub.publish('feed', { event: 'live', data: 'now' });
    const { events } = await reading;
    expect(events).toEqual([
      { type: 'message', data: 'missed', lastEventId: '2' },
      { type: 'live', data: 'now', lastEventId: '3' },
    ]);
  });

  it('answers a malformed Last-Event-ID with 400 problem+json', async () => {
    const hub = createEventHub();
    cleanup.push(() => hub.close());
    const base = await start(hub);
    const response = await fetch(`${base}/events`, { headers: { 'last-event-id': '1;DROP' } });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(await response.json()).toMatchObject({ status: 400, code: 'INVALID_LAST_EVENT_ID' });
  });
});
