import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bindExpress, expressRequestScope } from '../src/express.js';
import { api, CurrentRequest, makeContainer, useContainer } from './support/api.js';
import { expectDisposalOnAbort, type Host, sharedCases, waitingRoute } from './support/cases.js';

async function listen(app: express.Express): Promise<{ server: Server; url: string }> {
  const server = await new Promise<Server>((resolve) => {
    const started = app.listen(0, '127.0.0.1', () => resolve(started));
  });
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

describe('Express 5 binding (bodies read by the binding)', () => {
  let server: Server;
  let host: Host;
  const { container, log } = makeContainer();

  beforeAll(async () => {
    useContainer(container);
    const app = express();
    bindExpress(app, [...api], { container, bodyLimit: 1024 });
    const started = await listen(app);
    server = started.server;
    host = { url: started.url, log };
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  sharedCases(() => host);

  it('answers 413 CONTENT_TOO_LARGE over the body limit and 415 for a body that is not JSON', async () => {
    const big = await fetch(`${host.url}/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'x'.repeat(2000), email: 'a@b.co', password: '12345678' }),
    });
    expect(big.status).toBe(413);
    expect((await big.json()).code).toBe('CONTENT_TOO_LARGE');
    const form = await fetch(`${host.url}/users`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'hi',
    });
    expect(form.status).toBe(415);
    expect((await form.json()).code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('answers invalid UTF-8 with 400 MALFORMED_BODY', async () => {
    const answer = await fetch(`${host.url}/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: new Uint8Array([0x7b, 0x22, 0xff, 0x22, 0x7d]),
    });
    expect(answer.status).toBe(400);
    expect((await answer.json()).detail).toBe('The request body is not valid UTF-8.');
  });
});

describe('Express 5 binding after express.json(), in a Router, with the request-scope middleware', () => {
  let server: Server;
  let host: Host;
  const { container, log } = makeContainer();

  beforeAll(async () => {
    useContainer(container);
    const app = express();
    app.use(express.json());
    app.use(expressRequestScope(container));
    const router = express.Router();
    router.get('/plain', async (_req, res) => {
      const first = container.resolve(CurrentRequest);
      await new Promise((resolve) => setTimeout(resolve, 1));
      res.json({ id: first.id, same: container.resolve(CurrentRequest) === first });
    });
    router.get('/waiting', async (_req, res) => {
      res.json(await waitingRoute.run(() => container.resolve(CurrentRequest)));
    });
    bindExpress(router, [...api], { container });
    app.use('/api', router);
    const started = await listen(app);
    server = started.server;
    host = { url: `${started.url}/api`, log, parsesBodies: true, prefix: '/api' };
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  sharedCases(() => host);

  it('opens one scope per request for plain Express routes, disposed when the response ends', async () => {
    const first = await (await fetch(`${host.url}/plain`)).json();
    const second = await (await fetch(`${host.url}/plain`)).json();
    expect(first.same).toBe(true);
    expect(second.id).not.toBe(first.id);
    await expect.poll(() => log).toContain(`disposed ${first.id}`);
  });

  it('disposes the middleware scope when the client aborts', () =>
    expectDisposalOnAbort(`${host.url}/waiting`, log));

  it('hands errors to Express with forwardErrors', async () => {
    const app = express();
    bindExpress(app, [...api], { container, forwardErrors: true });
    app.use((error: Error, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
      res.status(599).json({ forwarded: error.message });
    });
    const started = await listen(app);
    try {
      const answer = await fetch(`${started.url}/boom`);
      expect(answer.status).toBe(599);
      expect(await answer.json()).toEqual({ forwarded: 'connect ECONNREFUSED: password hunter2' });
    } finally {
      await new Promise((resolve) => started.server.close(resolve));
    }
  });
});
