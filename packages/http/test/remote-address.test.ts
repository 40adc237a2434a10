// ctx.remoteAddress: the TCP peer under serve(), Express 5 and Fastify 5 (never a forwarded address, even
// where the host trusts proxies), and what app.fetch is told by its caller or runtime.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { plinthExpress } from '../src/express.js';
import { plinthFastify } from '../src/fastify.js';
import { createApp, json } from '../src/index.js';
import { type RunningServer, serve } from '../src/node.js';

function buildApp() {
  const app = createApp();
  app.get('/peer', (ctx) => json({ remoteAddress: ctx.remoteAddress ?? null }));
  return app;
}

const forwarded = { 'x-forwarded-for': '203.0.113.7' };

describe('ctx.remoteAddress', () => {
  let plinth: RunningServer;
  let expressServer: Server;
  let expressUrl: string;
  let fastify: FastifyInstance;
  let fastifyUrl: string;
  const hostIps: string[] = [];

  beforeAll(async () => {
    plinth = await serve(buildApp(), { port: 0, hostname: '127.0.0.1' });

    const host = express();
    host.set('trust proxy', true);
    host.use((req, _res, next) => {
      hostIps.push(`express ${req.ip}`);
      next();
    });
    host.use('/api', plinthExpress(buildApp()));
    expressServer = host.listen(0, '127.0.0.1');
    await new Promise((resolve) => expressServer.once('listening', resolve));
    expressUrl = `http://127.0.0.1:${(expressServer.address() as AddressInfo).port}`;

    fastify = Fastify({ trustProxy: true });
    fastify.addHook('onRequest', async (request) => {
      hostIps.push(`fastify ${request.ip}`);
    });
    await fastify.register(plinthFastify, { app: buildApp(), basePath: '/api' });
    fastifyUrl = await fastify.listen({ port: 0, host: '127.0.0.1' });
  });

  afterAll(async () => {
    await plinth.close({ timeout: 1000 });
    await new Promise<void>((resolve) => expressServer.close(() => resolve()));
    await fastify.close();
  });

  it('is the TCP peer under serve()', async () => {
    const response = await fetch(`${plinth.url}/peer`, { headers: forwarded });
    expect(await response.json()).toEqual({ remoteAddress: '127.0.0.1' });
  });

  it('is the raw socket’s peer under Express, not req.ip from a trusted X-Forwarded-For', async () => {
    const response = await fetch(`${expressUrl}/api/peer`, { headers: forwarded });
    expect(await response.json()).toEqual({ remoteAddress: '127.0.0.1' });
    expect(hostIps).toContain('express 203.0.113.7');
  });

  it('is the raw socket’s peer under Fastify, not request.ip from a trusted X-Forwarded-For', async () => {
    const response = await fetch(`${fastifyUrl}/api/peer`, { headers: forwarded });
    expect(await response.json()).toEqual({ remoteAddress: '127.0.0.1' });
    expect(hostIps).toContain('fastify 203.0.113.7');
  });

  it('is undefined under app.fetch unless the caller or the runtime says', async () => {
    const app = buildApp();
    const read = async (connection?: unknown) =>
      (await (await app.fetch(new Request('http://x/peer', { headers: forwarded }), connection)).json()) as {
        remoteAddress: string | null;
      };
    expect(await read()).toEqual({ remoteAddress: null });
    expect(await read({ remoteAddress: '198.51.100.1' })).toEqual({ remoteAddress: '198.51.100.1' });
    // Bun.serve passes its Server (requestIP), Deno.serve its ServeHandlerInfo (remoteAddr).
    const bun = {
      requestIP: (request: Request) => (request.url.endsWith('/peer') ? { address: '::1' } : null),
    };
    expect(await read(bun)).toEqual({ remoteAddress: '::1' });
    expect(await read({ remoteAddr: { hostname: '192.0.2.9' } })).toEqual({ remoteAddress: '192.0.2.9' });
    // A Cloudflare-style env object says nothing about the peer.
    expect(await read({ API_KEY: 'x' })).toEqual({ remoteAddress: null });
  });
});
