import { once } from 'node:events';
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createApp, json, stream, text } from '../src/index.js';
import { type RunningServer, serve } from '../src/node.js';
import { rawRequest } from './raw-http.js';

describe('serve on node:http', () => {
  let server: RunningServer;
  let aborted: Promise<string>;
  let resolveAborted: (reason: string) => void;
  let produced = 0;
  let streamFinished = false;

  beforeAll(async () => {
    const app = createApp({ bodyLimit: 1024 });
    app.get('/', () => json({ hello: 'world' }));
    app.get('/users/:id', (ctx) => json({ id: ctx.params.id }));
    app.post('/echo', async (ctx) => json(await ctx.body.json()));
    app.post('/upload', async (ctx) => json({ size: (await ctx.body.bytes()).byteLength }));
    app.get('/request', async (ctx) =>
      json({ url: ctx.request.url, method: ctx.request.method, agent: ctx.request.headers.get('x-agent') }),
    );
    app.post('/request-body', async (ctx) => json(await ctx.request.json()));
    app.get('/slow', (ctx) => {
      aborted = new Promise((resolve) => {
        resolveAborted = resolve;
      });
      ctx.signal.addEventListener('abort', () => resolveAborted('aborted'));
      return new Promise<Response>((resolve) => setTimeout(() => resolve(text('late')), 3000));
    });
    app.get('/stream', () =>
      stream(
        (async function* () {
          try {
            for (;;) {
              produced++;
              yield new Uint8Array(64 * 1024);
            }
          } finally {
            streamFinished = true;
          }
        })(),
      ),
    );
    app.get('/cookie', (ctx) => {
      ctx.cookies.set('a', '1', { secure: true });
      ctx.cookies.set('b', '2');
      return text('ok');
    });
    server = await serve(app, { port: 0, hostname: '127.0.0.1', maxHeaderSize: 4096 });
  });

  afterAll(() => server.close({ timeout: 1000 }));

  it('answers JSON with Content-Length on a real server', async () => {
    const response = await fetch(`${server.url}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-length')).toBe('17');
    expect(await response.json()).toEqual({ hello: 'world' });
    expect(await (await fetch(`${server.url}/users/42`)).json()).toEqual({ id: '42' });
  });

  it('answers HEAD with the GET headers and no body', async () => {
    const head = await rawRequest(
      server.port,
      'HEAD /users/1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
    );
    expect(head.status).toBe(200);
    expect(head.text).toMatch(/content-length: 10\r\n/i);
    expect(head.text.endsWith('\r\n\r\n')).toBe(true);
  });

  it('reports its port and url', () => {
    expect(server.port).toBeGreaterThan(0);
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
  });

  it('builds the WHATWG Request on demand with the full URL and headers', async () => {
    const response = await fetch(`${server.url}/request?x=1`, { headers: { 'x-agent': 'test' } });
    expect(await response.json()).toEqual({
      url: `http://127.0.0.1:${server.port}/request?x=1`,
      method: 'GET',
      agent: 'test',
    });
    const body = await fetch(`${server.url}/request-body`, {
      method: 'POST',
      body: '{"via":"request"}',
      headers: { 'content-type': 'application/json' },
    });
    expect(await body.json()).toEqual({ via: 'request' });
  });

  it('writes several Set-Cookie headers', async () => {
    const response = await fetch(`${server.url}/cookie`);
    expect(response.headers.getSetCookie()).toEqual([
      'a=1; Path=/; HttpOnly; SameSite=Lax; Secure',
      'b=2; Path=/; HttpOnly; SameSite=Lax',
    ]);
  });

  it('answers 413 for an oversized body, declared or chunked, and keeps serving', async () => {
    const declared = await fetch(`${server.url}/upload`, { method: 'POST', body: 'x'.repeat(5000) });
    expect(declared.status).toBe(413);
    const chunked = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(`${server.url}/upload`, { method: 'POST' }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      for (let index = 0; index < 10; index++) req.write('y'.repeat(500));
      req.end();
    });
    expect(chunked).toBe(413);
    expect((await fetch(`${server.url}/`)).status).toBe(200);
  });

  it('answers 400 for malformed JSON and refuses prototype pollution', async () => {
    const malformed = await fetch(`${server.url}/echo`, {
      method: 'POST',
      body: '{"a":',
      headers: { 'content-type': 'application/json' },
    });
    expect(malformed.status).toBe(400);
    expect(malformed.headers.get('content-type')).toBe('application/problem+json');
    const poisoned = await fetch(`${server.url}/echo`, {
      method: 'POST',
      body: '{"__proto__":{"isAdmin":true}}',
      headers: { 'content-type': 'application/json' },
    });
    expect(poisoned.status).toBe(400);
    expect(({} as { isAdmin?: boolean }).isAdmin).toBeUndefined();
  });

  it('answers 4xx to malformed requests and keeps serving', async () => {
    const spy = vi.spyOn(console, 'error').mockImplementation(() => {});
    const badPercent = await rawRequest(
      server.port,
      'GET /users/%E0%A4%A HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
    );
    expect(badPercent.status).toBe(400);
    expect(badPercent.text).toContain('MALFORMED_URL');
    const bareSpace = await rawRequest(server.port, 'GET /a b HTTP/1.1\r\nHost: x\r\n\r\n');
    expect(bareSpace.status).toBe(400);
    const absolute = await rawRequest(
      server.port,
      'GET http://x/users/7 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
    );
    expect(absolute.status).toBe(200);
    expect(absolute.text).toContain('{"id":"7"}');
    const star = await rawRequest(server.port, 'OPTIONS * HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    expect(star.status).toBe(400);
    const badHost = await rawRequest(
      server.port,
      'GET /request HTTP/1.1\r\nHost: [::bad\r\nConnection: close\r\n\r\n',
    );
    expect(badHost.status).toBe(200);
    const hugeHeaders = await rawRequest(
      server.port,
      `GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(8000)}\r\nConnection: close\r\n\r\n`,
    );
    expect(hugeHeaders.status).toBe(431);
    const garbage = await rawRequest(server.port, 'HELLO\r\n\r\n');
    expect(garbage.status).toBe(400);
    expect((await fetch(`${server.url}/`)).status).toBe(200);
    spy.mockRestore();
  });

  it('aborts ctx.signal when the client disconnects', async () => {
    const controller = new AbortController();
    const pending = fetch(`${server.url}/slow`, { signal: controller.signal }).catch(
      (error: Error) => error.name,
    );
    await vi.waitFor(() => expect(aborted).toBeDefined(), { timeout: 2000 });
    controller.abort();
    expect(await pending).toBe('AbortError');
    expect(await aborted).toBe('aborted');
  });

  it('streams with backpressure and stops the source when the client goes away', async () => {
    const controller = new AbortController();
    const response = await fetch(`${server.url}/stream`, { signal: controller.signal });
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    await reader.read();
    // Unread by the client, the server stops producing once the socket and stream buffers are full. On a
    // loaded machine filling them can outlast a fixed pause, so wait (up to 5 s) until two looks 100 ms
    // apart agree; a server without backpressure never stops, and fails here.
    let stalled = -1;
    for (let look = 0; look < 50 && stalled !== produced; look++) {
      stalled = produced;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(produced).toBe(stalled);
    expect(stalled).toBeLessThan(200);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(produced - stalled).toBeLessThan(5);
    controller.abort();
    await vi.waitFor(() => expect(streamFinished).toBe(true), { timeout: 3000 });
  });
});

describe('serve close()', () => {
  it('lets in-flight requests finish, closes idle keep-alive connections and stops accepting', async () => {
    const app = createApp();
    let release: () => void = () => {};
    app.get('/wait', () => new Promise<Response>((resolve) => (release = () => resolve(text('finished')))));
    app.get('/', () => text('hi'));
    const server = await serve(app, { port: 0, hostname: '127.0.0.1' });
    // An idle keep-alive connection (fetch keeps it in its pool) and an in-flight request.
    expect(await (await fetch(`${server.url}/`)).text()).toBe('hi');
    const inFlight = fetch(`${server.url}/wait`).then(async (response) => ({
      text: await response.text(),
      connection: response.headers.get('connection'),
    }));
    await new Promise((resolve) => setTimeout(resolve, 100));
    const closed = server.close({ timeout: 5000 });
    await new Promise((resolve) => setTimeout(resolve, 50));
    // A new connection is refused (fetch's pooled socket would still be answered during the grace).
    const fresh = await new Promise<string>((resolve) => {
      httpRequest(`${server.url}/`, { agent: false }, () => resolve('answered'))
        .on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'))
        .end();
    });
    expect(fresh).toBe('ECONNREFUSED');
    release();
    expect((await inFlight).text).toBe('finished');
    await closed;
    expect(server.server.listening).toBe(false);
  });

  it('answers a request written on an idle keep-alive socket as close() begins, with Connection: close', async () => {
    const app = createApp();
    app.get('/', () => text('hi'));
    const server = await serve(app, { port: 0, hostname: '127.0.0.1' });
    const socket = connect(server.port, '127.0.0.1');
    let received = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      received += chunk;
    });
    const ended = new Promise<string>((resolve) => {
      socket.on('close', () => resolve(received));
      socket.on('error', (error: NodeJS.ErrnoException) => resolve(`${received}\n${error.code}`));
    });
    const get = 'GET / HTTP/1.1\r\nHost: localhost\r\n\r\n';
    socket.write(get);
    await vi.waitFor(() => expect(received).toContain('hi'));
    // The drain begins while the client writes its next request on the idle socket: node's own
    // close() would reset it here.
    const closed = server.close({ timeout: 5000 });
    socket.write(get);
    const transcript = await ended;
    await closed;
    expect(transcript.match(/HTTP\/1\.1 200 OK/g)).toHaveLength(2);
    expect(transcript.split('HTTP/1.1 200 OK')[2]).toMatch(/connection: close/i);
    expect(transcript).not.toMatch(/ECONNRESET|EPIPE/);
  });

  it('closes a keep-alive socket that stays idle once the grace has passed', async () => {
    const app = createApp();
    app.get('/', () => text('hi'));
    const server = await serve(app, { port: 0, hostname: '127.0.0.1' });
    const socket = connect(server.port, '127.0.0.1');
    socket.resume();
    socket.write('GET / HTTP/1.1\r\nHost: localhost\r\n\r\n');
    const socketClosed = once(socket, 'close');
    await new Promise((resolve) => setTimeout(resolve, 100));
    const started = performance.now();
    await server.close({ timeout: 5000 });
    await socketClosed;
    // Not at once (a request may be on its way) and well before the 5 s timeout.
    expect(performance.now() - started).toBeGreaterThanOrEqual(900);
    expect(performance.now() - started).toBeLessThan(4000);
  });

  it('cuts requests still running after the timeout', async () => {
    const app = createApp();
    app.get('/never', () => new Promise<Response>(() => {}));
    const server = await serve(app, { port: 0, hostname: '127.0.0.1' });
    const hanging = fetch(`${server.url}/never`).then(
      () => 'answered',
      () => 'cut',
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    await server.close({ timeout: 200 });
    expect(await hanging).toBe('cut');
  });

  it('supports await using via Symbol.asyncDispose', async () => {
    const app = createApp();
    const server = await serve(app, { port: 0, hostname: '127.0.0.1' });
    await server[Symbol.asyncDispose]();
    expect(server.server.listening).toBe(false);
  });

  it('rejects when the port is taken', async () => {
    const app = createApp();
    const first = await serve(app, { port: 0, hostname: '127.0.0.1' });
    await expect(serve(app, { port: first.port, hostname: '127.0.0.1' })).rejects.toThrow('EADDRINUSE');
    await first.close();
  });
});
