// A @plinth/http app answers the same through inject() as over a real socket, whether it is called as
// a fetch handler, mounted in Express 5 or in Fastify 5: raw targets (dot segments, encoded dots)
// reach its router as sent, because inject() carries them the way requestWithTarget does.
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp, json } from '@plinth/http';
import { plinthExpress } from '@plinth/http/express';
import { plinthFastify } from '@plinth/http/fastify';
import { serve } from '@plinth/http/node';
import express from 'express';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from '../src/index.js';

const app = createApp();
app.get('/api/b', (ctx) => json({ route: '/api/b', path: ctx.path }));
app.get('/api/files/:name', (ctx) => json({ route: '/api/files/:name', path: ctx.path }));

const expressServer = express();
expressServer.use(plinthExpress(app));
const fastify = Fastify();

let running: Awaited<ReturnType<typeof serve>>;
let port = 0;
beforeAll(async () => {
  await fastify.register(plinthFastify, { app });
  running = await serve(app, { port: 0, hostname: '127.0.0.1' });
  port = (running.server.address() as AddressInfo).port;
});
afterAll(async () => {
  await running?.close();
  await fastify.close();
});

/** The target sent byte for byte over a socket (fetch would normalize it first). */
function overSocket(target: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path: target, method: 'GET' }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

const targets = ['/api/b', '/api/a/../b', '/api/files/%2e%2e', '/api/files/readme?x=1', '/api/nowhere'];

describe('a @plinth/http app through inject()', () => {
  it.each(targets)(
    'answers %s as over a socket, as fetch handler and in Express and Fastify',
    async (target) => {
      const socket = await overSocket(target);
      const parse = (body: string): unknown => {
        try {
          return JSON.parse(body);
        } catch {
          return body; // Express's own 404 page is HTML
        }
      };
      const expected = { status: socket.status, body: parse(socket.body) };
      for (const host of [app, expressServer, fastify] as const) {
        const response = await inject(host, target);
        const actual = { status: response.status, body: parse(await response.text()) };
        if (host === app || expected.status !== 404) expect(actual).toEqual(expected);
        else expect(actual.status).toBe(404); // the host's own 404 body differs by design
      }
    },
  );

  it('routes a dot-segment target on the raw path, not the resolved one', async () => {
    const response = await inject(app, '/api/a/../b');
    const plain = await app.fetch(new Request('http://localhost/api/a/../b'));
    expect(plain.status).toBe(200); // new Request() resolved the dots to /api/b
    expect(response.status).not.toBe(200);
  });
});
