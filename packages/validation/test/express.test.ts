// The Express middleware on a real Express 5 app.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { validate } from '../src/express.js';
import { serialize } from '../src/index.js';
import { badCases, expectRefused, expectServed, orderResult, orderSchema } from './support/routes.js';

function listen(app: express.Express): Promise<{ server: Server; base: string }> {
  return new Promise((resolve) => {
    const server = app.listen(0, '127.0.0.1', () => {
      resolve({ server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
    });
  });
}

describe('Express middleware', () => {
  let server: Server;
  let base: string;
  let parsedBase: string;
  let parsedServer: Server;

  beforeAll(async () => {
    const app = express();
    const order = validate(orderSchema);
    app.post('/orders/:id', order, (_req, res) => {
      res
        .status(201)
        .type('application/json')
        .send(serialize(orderSchema.response[201], orderResult(order.input(res))));
    });
    app.use((error: Error, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
      res.status(500).json({ unexpected: error.message });
    });
    ({ server, base } = await listen(app));

    // Behind express.json(): the parsed body gets the same key and depth checks.
    const parsed = express();
    parsed.use(express.json({ limit: '20mb' }));
    parsed.post('/orders/:id', order, (_req, res) => {
      res
        .status(201)
        .type('application/json')
        .send(serialize(orderSchema.response[201], orderResult(order.input(res))));
    });
    ({ server: parsedServer, base: parsedBase } = await listen(parsed));
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await new Promise((resolve) => parsedServer.close(resolve));
  });

  it('answers a valid request with typed input and only the response schema fields', async () => {
    await expectServed(base);
  });

  for (const bad of badCases) {
    it(`refuses ${bad.name} with problem+json and keeps serving`, async () => {
      await expectRefused(base, bad);
      await expectServed(base);
    });
  }

  it('checks a body express.json() parsed for __proto__ keys and depth', async () => {
    await expectServed(parsedBase);
    for (const name of [
      'a __proto__ key',
      'a constructor.prototype key deep down',
      'wrong types in every part',
    ]) {
      await expectRefused(parsedBase, badCases.find((bad) => bad.name === name) as (typeof badCases)[number]);
    }
    const deep = await fetch(`${parsedBase}/orders/7`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: `${'['.repeat(100)}${']'.repeat(100)}`,
    });
    expect(deep.status).toBe(400);
    expect(await deep.json()).toMatchObject({ code: 'MALFORMED_BODY' });
  });

  it('answers 422 when the route opts in, and the accessor is typed', async () => {
    const app = express();
    const search = validate({ querystring: z.object({ n: z.number() }) }, { status: 422 });
    app.get('/search', search, (_req, res) => {
      const n: number = search.input(res).querystring.n;
      res.json({ n });
    });
    const { server: local, base: localBase } = await listen(app);
    try {
      expect(await (await fetch(`${localBase}/search?n=4`)).json()).toEqual({ n: 4 });
      const bad = await fetch(`${localBase}/search?n=four`);
      expect(bad.status).toBe(422);
      expect(await bad.json()).toMatchObject({
        title: 'Unprocessable Content',
        errors: [{ pointer: '/querystring/n' }],
      });
    } finally {
      await new Promise((resolve) => local.close(resolve));
    }
  });
});
