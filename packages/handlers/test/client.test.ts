import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from '@plinth/http';
import { toNodeHandler } from '@plinth/http/node';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '../src/client.js';
import { bindFastify } from '../src/fastify.js';
import { bindHttp } from '../src/index.js';
import { api, makeContainer } from './support/api.js';

const tenant = '6f1c1f9e-8a4b-4c1e-9d55-0c6a1f1e2b3c';

function clientCases(baseUrl: () => string) {
  const client = () => createClient<typeof api>({ baseUrl: baseUrl() });

  it('gets by path with typed params, narrowing the body by status', async () => {
    const answer = await client().get('/users/:id', { params: { id: 1 } });
    expect(answer.status).toBe(200);
    if (answer.status !== 200) throw new Error('expected 200');
    expect(answer.data.name).toBe('Ada');
    expect(answer.ok).toBe(true);
    const missing = await client().get('/users/:id', { params: { id: 99 } });
    expect(missing.status).toBe(404);
    if (missing.status === 404) expect(missing.data.code).toBe('USER_NOT_FOUND');
  });

  it('posts a JSON body and reads 201 with its headers', async () => {
    const answer = await client().post('/users', {
      body: { name: 'Lin', email: `lin${Date.now()}@example.com`, password: 'long enough' },
    });
    expect(answer.status).toBe(201);
    if (answer.status === 201) expect(answer.headers.get('location')).toBe(`/users/${answer.data.id}`);
  });

  it('sends query arrays as repeated keys and headers by name', async () => {
    const listed = await client().get('/users', { query: { limit: 1, tag: ['a', 'b'] } });
    expect(listed.status === 200 && listed.data.tags).toEqual(['a', 'b']);
    const withHeader = await client().get('/tenant', { headers: { 'x-tenant-id': tenant } });
    expect(withHeader.data).toEqual({ tenant });
  });

  it('reads 204 as no data, problem+json as data, and encodes the wildcard', async () => {
    const deleted = await client().delete('/users/:id', { params: { id: 2 } });
    expect(deleted).toMatchObject({ status: 204, data: undefined });
    const invalid = await client().get('/users', { query: { limit: 500 } });
    expect(invalid.status).toBe(400);
    if (invalid.status === 400) expect(invalid.data.errors?.[0]?.pointer).toBe('/querystring/limit');
    const file = await client().get('/files/*', { params: { '*': 'a b/c?.txt' } });
    expect(file.data).toEqual({ path: 'a b/c?.txt' });
  });
}

describe('typed client against a real @plinth/http server', () => {
  let server: Server;
  let url = '';
  beforeAll(async () => {
    const app = createApp();
    bindHttp(app, [...api], { container: makeContainer().container });
    server = createServer(toNodeHandler(app));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));
  clientCases(() => url);

  it('sends default headers, uses the given fetch and honours the base path', async () => {
    const seen: Request[] = [];
    const client = createClient<typeof api>({
      baseUrl: `${url}/`,
      headers: { authorization: 'Bearer t' },
      fetch: (request) => {
        seen.push(request);
        return fetch(request);
      },
    });
    await client.get('/users/:id', { params: { id: 1 } });
    expect(seen[0]?.url).toBe(`${url}/users/1`);
    expect(seen[0]?.headers.get('authorization')).toBe('Bearer t');
  });

  it('refuses a client without an http(s) baseUrl', () => {
    expect(() => createClient<typeof api>({ baseUrl: 'localhost:3000' })).toThrow(/baseUrl/);
  });
});

describe('typed client against a real Fastify server', () => {
  let app: FastifyInstance;
  let url = '';
  beforeAll(async () => {
    app = Fastify();
    bindFastify(app, [...api], { container: makeContainer().container });
    url = await app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(() => app.close());
  clientCases(() => url);
});
