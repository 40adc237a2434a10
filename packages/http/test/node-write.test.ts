// How the node writer sends Responses it did not make: one made from a string or bytes goes out in one
// write with its real Content-Length (never chunked); a stream with a small declared length is read whole
// first; anything else is piped. And the asynchronous paths (a handler, a middleware, onError) reach the
// socket with the same answers as before.
import { once } from 'node:events';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, json, problemFromError } from '../src/index.js';
import { type RunningServer, serve } from '../src/node.js';
import { undiciSource } from '../src/undici-body.js';
import { rawRequest } from './raw-http.js';

const BODY = JSON.stringify({ id: '42', name: 'Zoë' });
const LENGTH = Buffer.byteLength(BODY);
const bytes = new TextEncoder().encode(BODY);
// Undici 6 (Node 20, 22) shows the string or bytes a Response was made from; undici 7 (Node 24) keeps
// them private, so there such a Response is piped from its stream, chunked, with the same bytes.
const sourceReachable = undiciSource(new Response('probe')) !== undefined;

/** The payload of a chunked body. */
function dechunk(raw: Buffer): Buffer {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const lineEnd = raw.indexOf('\r\n', at);
    const size = Number.parseInt(raw.subarray(at, lineEnd).toString('latin1'), 16);
    if (!(size > 0)) return Buffer.concat(parts);
    parts.push(raw.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
}

function streamOf(chunks: Uint8Array[], onCancel?: () => void): ReadableStream<Uint8Array> {
  let index = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      const chunk = chunks[index++];
      if (chunk === undefined) controller.close();
      else controller.enqueue(chunk);
    },
    cancel: onCancel,
  });
}

describe('the node writer', () => {
  let server: RunningServer;
  let cancelled: Promise<void>;
  let markCancelled: () => void;

  beforeAll(async () => {
    const app = createApp();
    app.get('/string', () => new Response(BODY, { headers: { 'content-type': 'application/json' } }));
    app.get('/string-wrong-length', () => new Response(BODY, { headers: { 'content-length': '3' } }));
    app.get('/bytes', () => new Response(bytes, { status: 201, statusText: 'Made' }));
    app.get('/search-params', () => new Response(new URLSearchParams({ q: 'a b' })));
    app.get('/used', async () => {
      const response = new Response(BODY);
      await response.text();
      return response;
    });
    app.get(
      '/cloned',
      {
        middleware: [
          async (_ctx, next) => {
            const response = await next();
            await response.clone().text();
            return response;
          },
        ],
      },
      () => new Response(BODY),
    );
    app.get(
      '/stream-length',
      () =>
        new Response(streamOf([bytes.subarray(0, 5), bytes.subarray(5)]), {
          headers: { 'content-length': String(LENGTH) },
        }),
    );
    app.get(
      '/stream-lying-length',
      () =>
        new Response(streamOf([new Uint8Array(70 * 1024).fill(0x61)]), {
          headers: { 'content-length': '10' },
        }),
    );
    app.get('/stream-failing', () => {
      let sent = false;
      return new Response(
        new ReadableStream<Uint8Array>({
          pull(controller) {
            if (sent) controller.error(new Error('upstream broke'));
            else {
              sent = true;
              controller.enqueue(bytes);
            }
          },
        }),
        { headers: { 'content-length': String(LENGTH * 2) } },
      );
    });
    app.get('/stream-slow', () => {
      cancelled = new Promise((resolve) => {
        markCancelled = resolve;
      });
      return new Response(
        new ReadableStream<Uint8Array>({
          start(controller) {
            controller.enqueue(bytes.subarray(0, 3));
          },
          cancel: () => markCancelled(),
        }),
        { headers: { 'content-length': String(LENGTH) } },
      );
    });
    app.get(
      '/stream-unknown-length',
      () => new Response(streamOf([bytes.subarray(0, 5), bytes.subarray(5)])),
    );
    app.get('/async-throws', async () => {
      await Promise.resolve();
      throw Object.assign(new Error('gone'), { status: 410, expose: true });
    });
    app.get(
      '/middleware-returns-nothing',
      { middleware: [async () => undefined as unknown as Response] },
      () => json({}),
    );
    app.get('/async-on-error', async () => {
      throw new Error('boom');
    });
    app.onError(async (error) => {
      await Promise.resolve();
      const response = problemFromError(error);
      response.headers.set('x-on-error', 'async');
      return response;
    });
    server = await serve(app, { port: 0, hostname: '127.0.0.1' });
  });

  afterAll(() => server.close({ timeout: 1000 }));

  async function get(path: string, method = 'GET') {
    const { status, text } = await rawRequest(
      server.port,
      `${method} ${path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`,
    );
    const split = text.indexOf('\r\n\r\n');
    const head = text.slice(0, split).toLowerCase();
    const chunked = /^transfer-encoding: chunked/m.test(head);
    const raw = Buffer.from(text.slice(split + 4), 'latin1');
    return {
      status,
      head,
      lengths: head.match(/^content-length: .*$/gm) ?? [],
      chunked,
      body: (chunked ? dechunk(raw) : raw).toString('utf8'),
    };
  }

  // Where undici hides the source, the same bytes go out chunked.
  const oneWrite = sourceReachable ? [[`content-length: ${LENGTH}`], false] : [[], true];

  it('sends a Response made from a string with its real Content-Length, not chunked', async () => {
    const reply = await get('/string');
    expect([reply.status, reply.lengths, reply.chunked, reply.body]).toEqual([200, ...oneWrite, BODY]);
    expect(reply.head).toContain('content-type: application/json');
    const wrong = await get('/string-wrong-length');
    expect([wrong.lengths, wrong.body]).toEqual([[`content-length: ${LENGTH}`], BODY]);
  });

  it('sends bytes with the status text, and a URLSearchParams body with its content type', async () => {
    const reply = await get('/bytes');
    expect(reply.head.startsWith('http/1.1 201 made')).toBe(true);
    expect([reply.lengths, reply.chunked, reply.body]).toEqual([...oneWrite, BODY]);
    const form = await get('/search-params');
    expect(form.head).toContain('content-type: application/x-www-form-urlencoded;charset=utf-8');
    expect(form.body).toBe('q=a+b');
  });

  it('sends a body a middleware read through clone(), and answers 500 for one already read', async () => {
    expect((await get('/cloned')).body).toBe(BODY);
    const used = await get('/used');
    expect([used.status, JSON.parse(used.body).code]).toEqual([500, 'INTERNAL_SERVER_ERROR']);
  });

  it('reads a stream with a small declared length whole, and sends it in one piece', async () => {
    const reply = await get('/stream-length');
    expect([reply.lengths, reply.chunked, reply.body]).toEqual([[`content-length: ${LENGTH}`], false, BODY]);
  });

  it('sends a stream longer than it declared as it comes', async () => {
    const reply = await get('/stream-lying-length');
    expect(reply.lengths).toEqual(['content-length: 10']);
    expect(reply.body.length).toBeGreaterThanOrEqual(10);
  });

  it('answers 500 when a stream with a declared length fails before it was sent', async () => {
    const reply = await get('/stream-failing');
    expect(reply.status).toBe(500);
    expect(reply.head).toContain('content-type: application/problem+json');
  });

  it('cancels a stream being collected when the client goes away', async () => {
    const socket = connect(server.port, '127.0.0.1');
    await once(socket, 'connect');
    socket.write('GET /stream-slow HTTP/1.1\r\nHost: x\r\n\r\n');
    await new Promise((resolve) => setTimeout(resolve, 50));
    socket.destroy();
    await cancelled;
  });

  it('pipes a stream of unknown length chunked', async () => {
    const reply = await get('/stream-unknown-length');
    expect([reply.chunked, reply.lengths]).toEqual([true, []]);
  });

  it('answers HEAD of a Response made from a string without its body', async () => {
    const reply = await get('/string', 'HEAD');
    expect([reply.status, reply.body]).toEqual([200, '']);
  });

  it('answers errors of async handlers and of middleware through an async onError', async () => {
    const thrown = await get('/async-throws');
    expect([thrown.status, JSON.parse(thrown.body).detail]).toEqual([410, 'gone']);
    expect(thrown.head).toContain('x-on-error: async');
    const nothing = await get('/middleware-returns-nothing');
    expect([nothing.status, nothing.head.includes('x-on-error: async')]).toEqual([500, true]);
    const onError = await get('/async-on-error');
    expect([onError.status, onError.head.includes('x-on-error: async')]).toEqual([500, true]);
  });
});
