import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, json, text } from '../src/index.js';
import { toNodeHandler } from '../src/node.js';

function listen(handler: express.Express): Promise<{ server: Server; url: string }> {
  return new Promise((resolve) => {
    const server = handler.listen(0, '127.0.0.1', () => {
      resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
    });
  });
}

describe('toNodeHandler as Express 5 middleware', () => {
  let url: string;
  let server: Server;

  beforeAll(async () => {
    const app = createApp();
    app.get('/hello', () => json({ from: 'plinth' }));
    app.get('/users/:id', (ctx) => json({ id: ctx.params.id, url: ctx.request.url }));
    app.post('/echo', async (ctx) => json({ body: await ctx.body.json() }));
    app.post('/form', async (ctx) => json({ names: (await ctx.body.form()).getAll('name') }));
    app.post('/raw', async (ctx) => text(await ctx.body.text()));

    const parsedFirst = createApp();
    parsedFirst.post('/echo', async (ctx) => json({ parsed: await ctx.body.json() }));
    parsedFirst.post('/form', async (ctx) => json({ names: (await ctx.body.form()).getAll('name') }));

    const host = express();
    host.get('/express-only', (_req, res) => {
      res.json({ from: 'express' });
    });
    host.use(toNodeHandler(app));
    host.use('/api', toNodeHandler(app));
    // Body parsers already ran here: @plinth/http reuses what they left on req.body.
    host.use('/parsed', express.json(), express.urlencoded({ extended: false }), toNodeHandler(parsedFirst));
    host.use((_req, res) => {
      res.status(404).json({ from: 'express 404' });
    });
    ({ server, url } = await listen(host));
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('answers the app’s routes', async () => {
    expect(await (await fetch(`${url}/hello`)).json()).toEqual({ from: 'plinth' });
  });

  it('answers HEAD from the app’s GET route without a body', async () => {
    const response = await fetch(`${url}/hello`, { method: 'HEAD' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-length')).toBe('17');
    expect(await response.text()).toBe('');
  });

  it('leaves Express routes registered before it alone', async () => {
    expect(await (await fetch(`${url}/express-only`)).json()).toEqual({ from: 'express' });
  });

  it('calls next() when no route matches, so Express carries on', async () => {
    const response = await fetch(`${url}/unknown`);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ from: 'express 404' });
  });

  it('routes under an Express mount path and keeps the original URL on ctx.request', async () => {
    expect(await (await fetch(`${url}/api/users/9`)).json()).toEqual({ id: '9', url: `${url}/api/users/9` });
  });

  it('names the full route pattern on req.routePath for request logs', async () => {
    const app = createApp();
    app.get('/users/:id', (ctx) => json({ id: ctx.params.id }));
    const seen: string[] = [];
    const host = express();
    host.use((req, res, next) => {
      res.on('finish', () => seen.push(String((req as { routePath?: string }).routePath)));
      next();
    });
    host.use('/v2', toNodeHandler(app));
    const mounted = await listen(host);
    await fetch(`${mounted.url}/v2/users/3`);
    await new Promise<void>((resolve) => mounted.server.close(() => resolve()));
    expect(seen).toEqual(['/v2/users/:id']);
  });

  it('reads raw bodies when no parser ran', async () => {
    const response = await fetch(`${url}/echo`, {
      method: 'POST',
      body: '{"a":1}',
      headers: { 'content-type': 'application/json' },
    });
    expect(await response.json()).toEqual({ body: { a: 1 } });
    const form = await fetch(`${url}/form`, {
      method: 'POST',
      body: 'name=x&name=y',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(await form.json()).toEqual({ names: ['x', 'y'] });
  });

  it('reuses the body express.json() and express.urlencoded() already parsed', async () => {
    const response = await fetch(`${url}/parsed/echo`, {
      method: 'POST',
      body: '{"b":[1,2]}',
      headers: { 'content-type': 'application/json' },
    });
    expect(await response.json()).toEqual({ parsed: { b: [1, 2] } });
    const form = await fetch(`${url}/parsed/form`, {
      method: 'POST',
      body: 'name=p&name=q',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(await form.json()).toEqual({ names: ['p', 'q'] });
  });

  it('answers malformed JSON with a 400 problem and keeps serving', async () => {
    const response = await fetch(`${url}/echo`, {
      method: 'POST',
      body: '{oops',
      headers: { 'content-type': 'application/json' },
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ code: 'MALFORMED_BODY' });
    expect((await fetch(`${url}/hello`)).status).toBe(200);
  });
});
