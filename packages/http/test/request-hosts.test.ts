// ctx.request is the same lazy Request under serve(), inside Express 5 (with and without express.json() before
// it, with and without its raw bytes kept, mounted under a path) and inside Fastify 5 (at the root and under a
// basePath): same URL (as the client addressed it), headers and body behaviour, and a
// body the host already parsed is read the way ctx.body reads it.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { plinthExpress, rawBody } from '../src/express.js';
import { plinthFastify } from '../src/fastify.js';
import { createApp, json, text } from '../src/index.js';
import { serve } from '../src/node.js';

function buildApp() {
  const app = createApp({ bodyLimit: 1024 });
  app.get('/info', (ctx) =>
    json({
      instance: ctx.request instanceof Request,
      method: ctx.request.method,
      url: ctx.request.url,
      accept: ctx.request.headers.get('accept'),
      multi: ctx.request.headers.get('x-multi'),
    }),
  );
  app.post('/json', async (ctx) => json({ value: await ctx.request.json(), used: ctx.request.bodyUsed }));
  app.post('/text', async (ctx) => text(await ctx.request.text()));
  app.post('/clone', async (ctx) => {
    const copy = ctx.request.clone();
    return json([await ctx.request.text(), await copy.text()]);
  });
  app.post('/clone-json', async (ctx) => {
    ctx.request.clone();
    return json(await ctx.request.json());
  });
  app.post('/both', async (ctx) => json({ request: await ctx.request.json(), body: await ctx.body.json() }));
  return app;
}

interface Host {
  name: string;
  /** What the host did with a JSON body before Plinth saw it. */
  parsed: 'no' | 'kept raw bytes' | 'no raw bytes';
  start(): Promise<{ url: string; close(): Promise<void> }>;
}

function listenExpress(server: express.Express) {
  return new Promise<{ url: string; close(): Promise<void> }>((resolve) => {
    const listener: Server = server.listen(0, '127.0.0.1', () => {
      const { port } = listener.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}`,
        close: () => new Promise((done) => listener.close(() => done())),
      });
    });
  });
}

const hosts: Host[] = [
  {
    name: 'serve()',
    parsed: 'no',
    async start() {
      const running = await serve(buildApp(), { port: 0, hostname: '127.0.0.1' });
      return { url: running.url, close: () => running.close({ timeout: 1000 }) };
    },
  },
  {
    name: 'Express, no body parser',
    parsed: 'no',
    start: () => listenExpress(express().use(plinthExpress(buildApp()))),
  },
  {
    name: 'Express behind express.json({ verify: rawBody })',
    parsed: 'kept raw bytes',
    start: () =>
      listenExpress(
        express()
          .use(express.json({ verify: rawBody }))
          .use(plinthExpress(buildApp())),
      ),
  },
  {
    name: 'Express behind express.json()',
    parsed: 'no raw bytes',
    start: () => listenExpress(express().use(express.json()).use(plinthExpress(buildApp()))),
  },
  {
    name: 'Express, mounted under /api',
    parsed: 'no',
    async start() {
      const running = await listenExpress(express().use('/api', plinthExpress(buildApp())));
      return { url: `${running.url}/api`, close: running.close };
    },
  },
  {
    name: 'Fastify, under basePath /api',
    parsed: 'no',
    async start() {
      const fastify: FastifyInstance = Fastify();
      await fastify.register(plinthFastify, { app: buildApp(), basePath: '/api' });
      const url = await fastify.listen({ port: 0, host: '127.0.0.1' });
      return { url: `${url}/api`, close: () => fastify.close() };
    },
  },
  {
    name: 'Fastify',
    parsed: 'no',
    async start() {
      const fastify: FastifyInstance = Fastify();
      await fastify.register(plinthFastify, { app: buildApp() });
      const url = await fastify.listen({ port: 0, host: '127.0.0.1' });
      return { url, close: () => fastify.close() };
    },
  },
];

describe.each(hosts.map((host) => [host.name, host] as const))('ctx.request under %s', (_name, host) => {
  let base: { url: string; close(): Promise<void> };

  beforeAll(async () => {
    base = await host.start();
  });

  afterAll(() => base.close());

  const post = (path: string, body: string, type = 'application/json') =>
    fetch(`${base.url}${path}`, { method: 'POST', headers: { 'content-type': type }, body });

  it('answers instanceof, method, the URL as the client addressed it and multi-value headers', async () => {
    const response = await fetch(`${base.url}/info?x=1&y=%41`, {
      headers: [
        ['accept', 'application/json'],
        ['x-multi', 'a'],
        ['x-multi', 'b'],
      ],
    });
    expect(await response.json()).toEqual({
      instance: true,
      method: 'GET',
      url: `${base.url}/info?x=1&y=%41`,
      accept: 'application/json',
      multi: 'a, b',
    });
  });

  it('reads JSON with ctx.request.json(), whoever parsed it', async () => {
    const response = await post('/json', '{"name":"Ada","n":[1,2]}');
    expect(await response.json()).toEqual({ value: { name: 'Ada', n: [1, 2] }, used: true });
  });

  it('reads ctx.request.json() after clone() built a real Request, whoever parsed it', async () => {
    expect(await (await post('/clone-json', '{"c":3}')).json()).toEqual({ c: 3 });
  });

  it('reads ctx.request.json() and then ctx.body.json() of the same request', async () => {
    const response = await post('/both', '{"a":1}');
    expect(await response.json()).toEqual({ request: { a: 1 }, body: { a: 1 } });
  });

  it('answers a body over the limit with 413 CONTENT_TOO_LARGE', async () => {
    const response = await post('/json', JSON.stringify({ big: 'x'.repeat(2000) }));
    // express.json() has its own (larger) limit: a body it parsed is already in memory.
    if (host.parsed !== 'no') return;
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ status: 413, code: 'CONTENT_TOO_LARGE' });
  });

  it('gives the bytes the client sent to text() and clone(), or fails as ctx.body does when they are gone', async () => {
    const sent = '{ "spaced" :  "as sent" }';
    const textResponse = await post('/text', sent);
    const cloneResponse = await post('/clone', sent);
    if (host.parsed === 'no raw bytes') {
      // The host parser consumed the stream and kept no bytes: a 500 whose log says how to mount.
      expect(textResponse.status).toBe(500);
      expect(cloneResponse.status).toBe(500);
      return;
    }
    expect(await textResponse.text()).toBe(sent);
    expect(await cloneResponse.json()).toEqual([sent, sent]);
  });

  it('reads a body no host parser touched (text/plain) the same way everywhere', async () => {
    const response = await post('/text', 'plain words', 'text/plain');
    expect(await response.text()).toBe('plain words');
  });
});
