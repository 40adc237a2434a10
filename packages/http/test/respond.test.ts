// ctx.respond on the wire: a body a caller serialised itself (as @plinth/handlers does) leaves under
// serve(), Express 5 and Fastify 5 with exactly one, correct Content-Length, whatever the caller set; under
// app.fetch it is the Response new Response(body, init) would be.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { plinthExpress } from '../src/express.js';
import { plinthFastify } from '../src/fastify.js';
import { createApp } from '../src/index.js';
import { serve } from '../src/node.js';
import { rawRequest } from './raw-http.js';

const BODY = JSON.stringify({ id: '42', name: 'Zoë' });
const LENGTH = String(Buffer.byteLength(BODY));

function buildApp() {
  const app = createApp();
  app.use(async (_ctx, next) => {
    const response = await next();
    response.headers.set('x-middleware', 'ran');
    return response;
  });
  app.get('/prepared', (ctx) =>
    ctx.respond(BODY, {
      status: 201,
      headers: { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': LENGTH },
    }),
  );
  app.get('/wrong-length', (ctx) =>
    ctx.respond(BODY, { headers: { 'content-type': 'application/json', 'content-length': '999' } }),
  );
  app.get('/bytes', (ctx) =>
    ctx.respond(new TextEncoder().encode(BODY), {
      headers: new Headers({ 'content-type': 'application/json' }),
    }),
  );
  app.get('/plain', (ctx) => ctx.respond('hello'));
  app.get('/nothing', (ctx) => ctx.respond(null, { status: 204 }));
  return app;
}

type Wire = { status: number; head: string; body: string };

async function wire(port: number, method: string, path: string): Promise<Wire> {
  const { status, text } = await rawRequest(
    port,
    `${method} ${path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`,
  );
  const split = text.indexOf('\r\n\r\n');
  return { status, head: text.slice(0, split).toLowerCase(), body: text.slice(split + 4) };
}

const lengths = (head: string) => head.match(/^content-length: .*$/gm) ?? [];

describe.each(['serve', 'express', 'fastify'])('ctx.respond under %s', (host) => {
  let port: number;
  let close: () => Promise<void>;

  beforeAll(async () => {
    if (host === 'serve') {
      const server = await serve(buildApp(), { port: 0, hostname: '127.0.0.1' });
      port = server.port;
      close = () => server.close({ timeout: 1000 });
    } else if (host === 'express') {
      const server: Server = express().use(plinthExpress(buildApp())).listen(0, '127.0.0.1');
      await new Promise((resolve) => server.once('listening', resolve));
      port = (server.address() as AddressInfo).port;
      close = () => new Promise<void>((resolve) => server.close(() => resolve()));
    } else {
      const fastify: FastifyInstance = Fastify();
      await fastify.register(plinthFastify, { app: buildApp() });
      await fastify.listen({ port: 0, host: '127.0.0.1' });
      port = (fastify.server.address() as AddressInfo).port;
      close = () => fastify.close();
    }
  });

  afterAll(() => close());

  it('sends the caller’s status, headers and body with one Content-Length', async () => {
    const response = await wire(port, 'GET', '/prepared');
    expect(response.status).toBe(201);
    expect(response.head).toContain('content-type: application/json; charset=utf-8');
    expect(response.head).toContain('x-middleware: ran');
    expect(lengths(response.head)).toEqual([`content-length: ${LENGTH}`]);
    expect(response.head).not.toContain('transfer-encoding');
    expect(Buffer.from(response.body, 'latin1').toString('utf8')).toBe(BODY);
  });

  it('replaces a Content-Length that disagrees with the body', async () => {
    const response = await wire(port, 'GET', '/wrong-length');
    expect(lengths(response.head)).toEqual([`content-length: ${LENGTH}`]);
    expect(Buffer.from(response.body, 'latin1').toString('utf8')).toBe(BODY);
    const head = await wire(port, 'HEAD', '/wrong-length');
    expect(lengths(head.head)).toEqual([`content-length: ${LENGTH}`]);
    expect(head.body).toBe('');
  });

  it('sends bytes, a default text/plain for a string, and no body for 204', async () => {
    const bytes = await wire(port, 'GET', '/bytes');
    expect(lengths(bytes.head)).toEqual([`content-length: ${LENGTH}`]);
    expect(Buffer.from(bytes.body, 'latin1').toString('utf8')).toBe(BODY);
    const plain = await wire(port, 'GET', '/plain');
    expect(plain.head).toMatch(/content-type: text\/plain; ?charset=utf-8/);
    expect(plain.body).toBe('hello');
    const nothing = await wire(port, 'GET', '/nothing');
    expect(nothing.status).toBe(204);
    expect(nothing.body).toBe('');
  });

  it('answers HEAD with the GET headers and no body', async () => {
    const response = await wire(port, 'HEAD', '/prepared');
    expect(response.status).toBe(201);
    expect(lengths(response.head)).toEqual([`content-length: ${LENGTH}`]);
    expect(response.body).toBe('');
  });
});

describe('ctx.respond under app.fetch', () => {
  it('is the Response new Response(body, init) would be', async () => {
    const app = buildApp();
    const response = await app.fetch(new Request('http://localhost/prepared'));
    expect(response.constructor).toBe(Response);
    expect(response.status).toBe(201);
    expect(response.headers.get('content-length')).toBe(LENGTH);
    expect(response.headers.get('x-middleware')).toBe('ran');
    expect(await response.json()).toEqual({ id: '42', name: 'Zoë' });
    const plain = await app.fetch(new Request('http://localhost/plain'));
    expect(plain.headers.get('content-type')).toBe(new Response('hello').headers.get('content-type'));
    expect(await plain.text()).toBe('hello');
    const head = await app.fetch(new Request('http://localhost/prepared', { method: 'HEAD' }));
    expect(head.body).toBeNull();
    expect(head.headers.get('content-length')).toBe(LENGTH);
  });
});
