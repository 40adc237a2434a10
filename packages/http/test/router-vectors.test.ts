// The router vectors (test/vectors/router.json) sent to whole apps with their raw request targets:
// in-process through app.fetch(requestWithTarget(...)), and over sockets through serve(), Express and
// Fastify, so a path-traversal vector means the same thing in every one of them.
import type { AddressInfo } from 'node:net';
import express from 'express';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { plinthExpress } from '../src/express.js';
import { plinthFastify } from '../src/fastify.js';
import { type App, createApp, json, requestWithTarget } from '../src/index.js';
import { serve } from '../src/node.js';
import { rawRequest } from './raw-http.js';
import vectors from './vectors/router.json' with { type: 'json' };

interface Vector {
  method: string;
  path: string;
  route?: string | null;
  params?: Record<string, string>;
  status?: number;
}

function appOf(group: (typeof vectors.matching)[number]): App {
  const app = createApp((group as { options?: object }).options ?? {});
  for (const route of group.routes) {
    const space = route.indexOf(' ');
    app.on(route.slice(0, space), route.slice(space + 1), (ctx) =>
      json({ route: ctx.routePath, params: ctx.params }),
    );
  }
  return app;
}

async function expectAnswer(vector: Vector, status: number, body: string) {
  if (vector.status !== undefined) {
    expect(status).toBe(vector.status);
    expect(JSON.parse(body)).toMatchObject({ code: 'MALFORMED_URL' });
  } else if (vector.route === null) {
    expect([404, 405]).toContain(status);
  } else {
    expect(status).toBe(200);
    if (vector.method !== 'HEAD')
      expect(JSON.parse(body)).toEqual({ route: vector.route, params: vector.params });
  }
}

describe('router vectors through app.fetch with raw targets', () => {
  for (const group of vectors.matching) {
    const app = appOf(group);
    for (const vector of group.requests as Vector[]) {
      it(`${group.name}: ${vector.method} ${vector.path}`, async () => {
        const response = await app.fetch(requestWithTarget(vector.path, { method: vector.method }));
        await expectAnswer(vector, response.status, await response.text());
      });
    }
  }

  it('differs from new Request(url), which resolves dot segments before routing', async () => {
    const app = createApp();
    app.get('/files/*', () => json({ route: 'files' }));
    app.get('/etc/passwd', () => json({ route: 'passwd' }));
    const resolved = await app.fetch(new Request('http://localhost/files/%2e%2e/etc/passwd'));
    expect(await resolved.json()).toEqual({ route: 'passwd' });
    const raw = await app.fetch(requestWithTarget('/files/%2e%2e/etc/passwd'));
    expect(await raw.json()).toEqual({ route: 'files' });
    expect(() => requestWithTarget('/a b')).toThrow(/request target/);
  });
});

const traversal = vectors.matching.find((group) => group.name.startsWith('dot segments')) as
  | (typeof vectors.matching)[number]
  | undefined;

describe('the dot-segment vectors over sockets: serve(), Express 5, Fastify 5', () => {
  const ports: Record<string, number> = {};
  const closers: Array<() => Promise<unknown>> = [];

  beforeAll(async () => {
    if (traversal === undefined) throw new Error('the dot-segment vector group is missing');
    const served = await serve(appOf(traversal), { port: 0, hostname: '127.0.0.1' });
    ports.serve = served.port;
    closers.push(() => served.close());
    const host = express();
    host.use(plinthExpress(appOf(traversal)));
    const server = host.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    ports.express = (server.address() as AddressInfo).port;
    closers.push(() => new Promise((resolve) => server.close(resolve)));
    const fastify = Fastify();
    await fastify.register(plinthFastify, { app: appOf(traversal) });
    await fastify.listen({ port: 0, host: '127.0.0.1' });
    ports.fastify = (fastify.server.address() as AddressInfo).port;
    closers.push(() => fastify.close());
  });

  afterAll(async () => {
    for (const close of closers) await close();
  });

  for (const host of ['serve', 'express', 'fastify']) {
    for (const vector of (traversal?.requests ?? []) as Vector[]) {
      it(`${host}: ${vector.method} ${vector.path}`, async () => {
        const answer = await rawRequest(
          ports[host] as number,
          `${vector.method} ${vector.path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`,
        );
        const body = answer.text.slice(answer.text.indexOf('\r\n\r\n') + 4);
        if (vector.route === null) expect(answer.status).toBe(404);
        else await expectAnswer(vector, answer.status, body);
      });
    }
  }
});
