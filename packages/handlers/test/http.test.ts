import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp, json } from '@plinth/http';
import { toNodeHandler } from '@plinth/http/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bindHttp, requestScope } from '../src/index.js';
import { api, CurrentRequest, makeContainer, useContainer } from './support/api.js';
import { expectDisposalOnAbort, type Host, sharedCases, waitingRoute } from './support/cases.js';

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('@plinth/http binding', () => {
  let server: Server;
  let host: Host;
  const { container, log } = makeContainer();

  beforeAll(async () => {
    useContainer(container);
    const app = createApp();
    bindHttp(app, [...api], { container });
    server = createServer(toNodeHandler(app));
    host = { url: await listen(server), log };
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  sharedCases(() => host);

  it('answers through the real context’s ctx.respond, with the same status, headers and body on the wire', async () => {
    const app = createApp();
    let calls = 0;
    app.use((ctx, next) => {
      const respond = ctx.respond.bind(ctx);
      ctx.respond = (body, init) => {
        calls++;
        return respond(body, init);
      };
      return next();
    });
    bindHttp(app, [...api], { container });
    const spied = createServer(toNodeHandler(app));
    const base = await listen(spied);
    try {
      const response = await fetch(`${base}/users/1`);
      const text = await response.text();
      expect(calls).toBe(1);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('application/json');
      expect(response.headers.get('content-length')).toBe(String(Buffer.byteLength(text)));
      expect(response.headers.get('transfer-encoding')).toBeNull();
      expect(JSON.parse(text)).toMatchObject({ id: 1, name: 'Ada' });
    } finally {
      await new Promise((resolve) => spied.close(resolve));
    }
  });

  it('lists every definition in app.routes with its RouteMeta', () => {
    const app = createApp();
    bindHttp(app, [...api], { container });
    const route = app.routes.find((entry) => entry.method === 'GET' && entry.path === '/users/:id');
    expect(route?.meta).toMatchObject({ summary: 'One user', tags: ['users'], operationId: 'getUser' });
    expect(Object.keys((route?.meta.schema as object) ?? {})).toEqual(['params', 'response']);
    expect(app.routes.map((entry) => `${entry.method} ${entry.path}`)).toEqual(
      api.map((d) => `${d.method} ${d.path}`),
    );
  });
});

describe('@plinth/http request scope middleware', () => {
  let server: Server;
  let url: string;
  const { container, log } = makeContainer();

  beforeAll(async () => {
    const app = createApp();
    app.use(requestScope(container));
    app.get('/plain', async () => {
      const first = container.resolve(CurrentRequest);
      await new Promise((resolve) => setTimeout(resolve, 1));
      return json({ id: first.id, same: container.resolve(CurrentRequest) === first });
    });
    app.get('/waiting', async () => json(await waitingRoute.run(() => container.resolve(CurrentRequest))));
    bindHttp(app, [...api], { container });
    server = createServer(toNodeHandler(app));
    url = await listen(server);
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it('opens one scope per request for plain routes, disposed after the response', async () => {
    const first = await (await fetch(`${url}/plain`)).json();
    const second = await (await fetch(`${url}/plain`)).json();
    expect(first.same).toBe(true);
    expect(second.id).not.toBe(first.id);
    expect(log).toContain(`disposed ${first.id}`);
  });

  it('disposes the scope when the client aborts', () => expectDisposalOnAbort(`${url}/waiting`, log));

  it('lets bound definitions share the middleware scope', async () => {
    useContainer(container);
    const body = await (await fetch(`${url}/scope`)).json();
    expect(body).toMatchObject({ sameInService: true, sameThroughStorage: true });
    expect(log).toContain(`disposed ${body.id}`);
  });
});
