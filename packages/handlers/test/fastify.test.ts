import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bindFastify, fastifyRequestScope } from '../src/fastify.js';
import { api, CurrentRequest, makeContainer, useContainer } from './support/api.js';
import { expectDisposalOnAbort, type Host, sharedCases, waitingRoute } from './support/cases.js';

describe('Fastify 5 binding', () => {
  let app: FastifyInstance;
  let host: Host;
  const { container, log } = makeContainer();

  beforeAll(async () => {
    useContainer(container);
    app = Fastify();
    bindFastify(app, [...api], { container });
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    host = { url, log, parsesBodies: true };
  });
  afterAll(() => app.close());

  sharedCases(() => host);

  it('keeps the RouteMeta in the route config', async () => {
    const seen: unknown[] = [];
    const probe = Fastify();
    probe.addHook('onRoute', (route) => {
      seen.push({ method: route.method, url: route.url, meta: (route.config as { meta?: unknown })?.meta });
    });
    bindFastify(probe, [...api], { container });
    await probe.ready();
    expect(seen[0]).toMatchObject({ method: 'GET', url: '/users/:id', meta: { operationId: 'getUser' } });
    await probe.close();
  });
});

describe('Fastify 5 binding in a prefixed plugin, with the request-scope plugin', () => {
  let app: FastifyInstance;
  let host: Host;
  const { container, log } = makeContainer();

  beforeAll(async () => {
    useContainer(container);
    app = Fastify();
    await app.register(fastifyRequestScope(container));
    await app.register(
      async (instance) => {
        instance.post('/plain', async (request) => {
          const first = container.resolve(CurrentRequest);
          await new Promise((resolve) => setTimeout(resolve, 1));
          return { id: first.id, same: container.resolve(CurrentRequest) === first, body: request.body };
        });
        instance.get('/waiting', () => waitingRoute.run(() => container.resolve(CurrentRequest)));
        bindFastify(instance, [...api], { container });
      },
      { prefix: '/api' },
    );
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    host = { url: `${url}/api`, log, parsesBodies: true, prefix: '/api' };
  });
  afterAll(() => app.close());

  sharedCases(() => host);

  it('disposes the plugin scope when the client aborts', () =>
    expectDisposalOnAbort(`${host.url}/waiting`, log));

  it('carries the scope through body parsing into plain Fastify handlers, disposed after the response', async () => {
    const post = () =>
      fetch(`${host.url}/plain`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"a":1}',
      });
    const first = await (await post()).json();
    const second = await (await post()).json();
    expect(first).toMatchObject({ same: true, body: { a: 1 } });
    expect(second.id).not.toBe(first.id);
    await expect.poll(() => log).toContain(`disposed ${first.id}`);
  });
});

describe('Fastify 5 binding under the request-scope plugin of another container', () => {
  it('opens its own scope instead of using a scope of a container it does not know', async () => {
    const other = makeContainer();
    const { container, log } = makeContainer();
    useContainer(container);
    const app = Fastify();
    await app.register(fastifyRequestScope(other.container));
    bindFastify(app, [...api], { container });
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const body = await (await fetch(`${url}/scope`)).json();
      expect(body).toMatchObject({ sameInService: true, sameInScope: true, sameThroughStorage: true });
      expect(log).toContain(`disposed ${body.id}`);
      expect(other.log).toEqual([]);
    } finally {
      await app.close();
    }
  });
});
