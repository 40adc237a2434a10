// ctx.request handed to real consumers on a real node:http server: fetch() as a proxy, the Request and
// Response constructors, zod and valibot reading `await request.json()`, and fetch-style middleware of the
// shape observability and deploy use (a structural stand-in: those packages are not dependencies of this one).
import { createServer, type Server } from 'node:http';
import { connect } from 'node:net';
import * as v from 'valibot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createApp, json, type Middleware, text } from '../src/index.js';
import { type RunningServer, serve } from '../src/node.js';

/** The upstream a proxy forwards to: echoes what it received. */
function startUpstream(): Promise<Server> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = JSON.stringify({
        method: req.method,
        url: req.url,
        host: req.headers.host,
        custom: req.headers['x-custom'],
        type: req.headers['content-type'],
        body: Buffer.concat(chunks).toString('utf8'),
      });
      res.writeHead(200, { 'content-type': 'application/json' }).end(body);
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

// What observability's requestLogger and deploy's health middleware are to @plinth/http: fetch-style
// middleware over the seam of SEAMS §A, declared here as they declare it, touching ctx.request only for
// what it alone has (the full URL of a failed request).
interface MiddlewareContext {
  readonly method: string;
  readonly path: string;
  header(name: string): string | undefined;
  readonly signal: AbortSignal;
  readonly request: Request;
  readonly state: object;
}
const logged: Array<Record<string, unknown>> = [];
const requestLogger =
  () =>
  async (ctx: MiddlewareContext, next: () => Promise<Response>): Promise<Response> => {
    const response = await next();
    const line: Record<string, unknown> = { method: ctx.method, path: ctx.path, status: response.status };
    if (response.status >= 400) line.url = ctx.request.url;
    logged.push(line);
    return response;
  };
const health =
  () =>
  async (ctx: MiddlewareContext, next: () => Promise<Response>): Promise<Response> =>
    ctx.method === 'GET' && ctx.path === '/livez' ? new Response('ok') : next();

describe('ctx.request with real consumers', () => {
  let upstream: Server;
  let upstreamPort: number;
  let server: RunningServer;
  let disconnected: Promise<{ aborted: boolean; read: string }>;

  beforeAll(async () => {
    upstream = await startUpstream();
    upstreamPort = (upstream.address() as { port: number }).port;
    const app = createApp();
    app.use(requestLogger() as unknown as Middleware, health() as unknown as Middleware);
    // A forward proxy: the client addresses the upstream in Host, so ctx.request.url is the upstream URL.
    app.post('/forward/*', (ctx) => fetch(ctx.request));
    app.post('/rewrite', (ctx) =>
      fetch(new Request(`http://127.0.0.1:${upstreamPort}/rewritten`, ctx.request)),
    );
    app.post('/spread', (ctx) =>
      fetch(`http://127.0.0.1:${upstreamPort}/spread`, {
        method: ctx.request.method,
        headers: ctx.request.headers,
        body: ctx.request.body,
        duplex: 'half',
      } as RequestInit),
    );
    app.post('/echo', (ctx) => new Response(ctx.request.body, { headers: ctx.request.headers }));
    app.post('/copy', async (ctx) => {
      const copy = new Request(ctx.request);
      return json({ url: copy.url, text: await copy.text(), used: ctx.request.bodyUsed });
    });
    app.post('/zod', async (ctx) => {
      const parsed = z
        .object({ name: z.string(), age: z.number().int() })
        .safeParse(await ctx.request.json());
      return parsed.success
        ? json(parsed.data)
        : json({ issues: parsed.error.issues.length }, { status: 422 });
    });
    app.post('/valibot', async (ctx) => {
      const parsed = v.safeParse(v.object({ name: v.string(), age: v.number() }), await ctx.request.json());
      return parsed.success ? json(parsed.output) : json({ issues: parsed.issues.length }, { status: 422 });
    });
    app.post('/disconnect', async (ctx) => {
      const aborted = new Promise<boolean>((resolve) =>
        ctx.request.signal.addEventListener('abort', () => resolve(true)),
      );
      disconnected = Promise.all([aborted, ctx.request.text().catch((error: Error) => error.message)]).then(
        ([wasAborted, read]) => ({ aborted: wasAborted, read }),
      );
      await disconnected;
      return text('too late');
    });
    server = await serve(app, { port: 0, hostname: '127.0.0.1' });
  });

  afterAll(async () => {
    await server.close({ timeout: 1000 });
    await new Promise((resolve) => upstream.close(resolve));
  });

  it('proxies with fetch(ctx.request): method, URL, headers and body reach the upstream', async () => {
    // fetch() refuses to set Host, so send the request by hand the way a client of a forward proxy does.
    const body = '{"hello":"upstream"}';
    const raw = [
      'POST /forward/a?b=1 HTTP/1.1',
      `Host: 127.0.0.1:${upstreamPort}`,
      'Content-Type: application/json',
      'X-Custom: yes',
      `Content-Length: ${body.length}`,
      'Connection: close',
      '',
      body,
    ].join('\r\n');
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(server.port, '127.0.0.1');
      let received = '';
      socket.setEncoding('utf8');
      socket.on('data', (chunk: string) => {
        received += chunk;
      });
      socket.on('close', () => resolve(received));
      socket.on('error', reject);
      socket.write(raw);
    });
    expect(answer.slice(0, 12)).toBe('HTTP/1.1 200');
    // The upstream's JSON, inside whatever framing (chunked) the proxied response has.
    const echoed = JSON.parse(answer.slice(answer.indexOf('{'), answer.lastIndexOf('}') + 1)) as Record<
      string,
      string
    >;
    expect(echoed).toEqual({
      method: 'POST',
      url: '/forward/a?b=1',
      host: `127.0.0.1:${upstreamPort}`,
      custom: 'yes',
      type: 'application/json',
      body,
    });
  });

  it('proxies with new Request(url, ctx.request) and with its members spread into fetch()', async () => {
    for (const path of ['/rewrite', '/spread']) {
      const response = await fetch(`${server.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'text/plain', 'x-custom': path },
        body: 'payload',
      });
      expect(await response.json()).toMatchObject({
        method: 'POST',
        url: path === '/rewrite' ? '/rewritten' : '/spread',
        custom: path,
        body: 'payload',
      });
    }
  });

  it('streams the body into new Response(ctx.request.body)', async () => {
    const big = 'x'.repeat(200_000);
    const response = await fetch(`${server.url}/echo`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: big,
    });
    expect(response.headers.get('content-type')).toBe('text/plain');
    expect(await response.text()).toBe(big);
  });

  it('is taken whole by new Request(ctx.request), which uses its body', async () => {
    const response = await fetch(`${server.url}/copy?x=1`, { method: 'POST', body: 'moved' });
    expect(await response.json()).toEqual({ url: `${server.url}/copy?x=1`, text: 'moved', used: true });
  });

  it('feeds zod and valibot with await ctx.request.json()', async () => {
    for (const library of ['zod', 'valibot']) {
      const good = await fetch(`${server.url}/${library}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'Ada', age: 36 }),
      });
      expect(await good.json()).toEqual({ name: 'Ada', age: 36 });
      const bad = await fetch(`${server.url}/${library}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: 7 }),
      });
      expect(bad.status).toBe(422);
    }
  });

  it('answers malformed JSON read through ctx.request.json() with 400 MALFORMED_BODY', async () => {
    const response = await fetch(`${server.url}/zod`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"name":',
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ status: 400, code: 'MALFORMED_BODY' });
  });

  it('runs beside fetch-style logging and health middleware that read the request only for a failure', async () => {
    logged.length = 0;
    expect(await (await fetch(`${server.url}/livez`)).text()).toBe('ok');
    expect((await fetch(`${server.url}/nowhere?q=1`)).status).toBe(404);
    expect(logged).toEqual([
      { method: 'GET', path: '/livez', status: 200 },
      { method: 'GET', path: '/nowhere', status: 404, url: `${server.url}/nowhere?q=1` },
    ]);
  });

  it('aborts ctx.request.signal and fails the body read when the client disconnects mid-body', async () => {
    const socket = connect(server.port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write('POST /disconnect HTTP/1.1\r\nHost: localhost\r\nContent-Length: 100\r\n\r\nonly part');
    await new Promise((resolve) => setTimeout(resolve, 100));
    socket.destroy();
    const outcome = await new Promise<{ aborted: boolean; read: string }>((resolve, reject) => {
      const poll = setInterval(() => {
        if (disconnected !== undefined) {
          clearInterval(poll);
          disconnected.then(resolve, reject);
        }
      }, 10);
    });
    expect(outcome.aborted).toBe(true);
    expect(outcome.read).toMatch(/closed the connection|could not be read/);
  });
});
