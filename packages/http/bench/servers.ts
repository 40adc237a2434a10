// One HTTP server per contender, started as its own process by bench/http.ts:
// `node --import tsx bench/servers.ts <contender> <port>`; prints "ready" once listening.
import { createServer } from 'node:http';
import { serve as honoServe } from '@hono/node-server';
import express from 'express';
import Fastify from 'fastify';
import { Hono } from 'hono';

// The built package, as users run it (tsx's transform of the source adds a __name() call per closure,
// about 1% CPU per request); typed from the source.
const { createApp, json } = (await import(
  new URL('../dist/index.js', import.meta.url).href
)) as typeof import('../src/index.js');
const { serve } = (await import(
  new URL('../dist/node.js', import.meta.url).href
)) as typeof import('../src/node.js');

const [contender, portText] = process.argv.slice(2);
const port = Number(portText);
const host = '127.0.0.1';
const ready = (): void => {
  process.stdout.write('ready\n');
};

// The harness asks for this process's CPU time around each measurement ("cpu" on stdin): CPU per
// request holds steady on a shared machine where req/s swings with the neighbours' load.
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk: string) => {
  if (chunk.includes('cpu')) {
    const { user, system } = process.cpuUsage();
    process.stdout.write(`cpu ${user + system}\n`);
  }
});

async function start(): Promise<void> {
  switch (contender) {
    case '@plinth/http': {
      const app = createApp();
      app.get('/', () => json({ hello: 'world' }));
      app.get('/users/:id', (ctx) => json({ id: ctx.params.id }));
      await serve(app, { port, hostname: host });
      return ready();
    }
    case 'node:http': {
      createServer((req, res) => {
        const url = req.url ?? '/';
        let body: string;
        if (url === '/') body = JSON.stringify({ hello: 'world' });
        else if (url.startsWith('/users/')) body = JSON.stringify({ id: url.slice(7) });
        else {
          res.writeHead(404).end();
          return;
        }
        res.writeHead(200, {
          'content-type': 'application/json; charset=utf-8',
          'content-length': Buffer.byteLength(body),
        });
        res.end(body);
      }).listen(port, host, ready);
      return;
    }
    case 'fastify 5': {
      const fastify = Fastify();
      fastify.get('/', async () => ({ hello: 'world' }));
      fastify.get<{ Params: { id: string } }>('/users/:id', async (request) => ({ id: request.params.id }));
      await fastify.listen({ port, host });
      return ready();
    }
    case 'express 5': {
      const app = express();
      app.get('/', (_req, res) => {
        res.json({ hello: 'world' });
      });
      app.get('/users/:id', (req, res) => {
        res.json({ id: req.params.id });
      });
      app.listen(port, host, ready);
      return;
    }
    case 'hono 4 (node-server)': {
      const app = new Hono();
      app.get('/', (c) => c.json({ hello: 'world' }));
      app.get('/users/:id', (c) => c.json({ id: c.req.param('id') }));
      honoServe({ fetch: app.fetch, port, hostname: host }, ready);
      return;
    }
    default:
      throw new Error(`unknown contender ${contender}`);
  }
}

await start();
