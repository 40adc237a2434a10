// The cases every host (@plinth/http, Express 5, Fastify 5) must answer the same way.
import { request as httpRequest } from 'node:http';
import { expect, it } from 'vitest';
import { slowStarted } from './api.js';

export interface Host {
  /** e.g. http://127.0.0.1:port */
  url: string;
  log: string[];
  /** The mount path or prefix the routes are under, '' at the root. */
  prefix?: string;
  /** The host parsed bodies (Fastify, express.json()) and answers bad JSON its own way. */
  parsesBodies?: boolean;
}

async function call(host: Host, path: string, init: RequestInit = {}) {
  const response = await fetch(`${host.url}${path}`, init);
  const text = await response.text();
  const isJson = /json/.test(response.headers.get('content-type') ?? '');
  return {
    status: response.status,
    headers: response.headers,
    text,
    body: isJson ? JSON.parse(text) : undefined,
  };
}

const json = (body: unknown): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

/** Registers the shared cases; `host()` is read when each case runs. */
export function sharedCases(host: () => Host): void {
  it('answers 200 with the body serialized through the response schema (unknown fields dropped, at depth too)', async () => {
    const answer = await call(host(), '/users/1');
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('application/json');
    expect(answer.body).toEqual({
      id: 1,
      name: 'Ada',
      email: 'ada@example.com',
      profile: { bio: 'mathematician' },
    });
    expect(answer.text).not.toContain('argon2');
    expect(answer.text).not.toContain('never leaves');
  });

  it('answers a validation failure with 400 problem+json, errors[] pointing into the request part', async () => {
    const answer = await call(host(), '/users/abc');
    expect(answer.status).toBe(400);
    expect(answer.headers.get('content-type')).toBe('application/problem+json');
    expect(Number(answer.headers.get('content-length'))).toBe(Buffer.byteLength(answer.text));
    expect(Object.keys(answer.body)).toEqual(['type', 'title', 'status', 'detail', 'code', 'errors']);
    expect(answer.body).toMatchObject({
      type: 'about:blank',
      title: 'Bad Request',
      status: 400,
      detail: 'The request has 1 invalid field: /params/id.',
      code: 'VALIDATION_FAILED',
      errors: [{ pointer: '/params/id', code: 'invalid_type' }],
    });
    expect(answer.body.errors[0].message).toEqual(expect.any(String));
  });

  it('reports every invalid body field at once, without echoing the values', async () => {
    const answer = await call(
      host(),
      '/users',
      json({ name: '', email: 'not-an-email', password: 'hunter2' }),
    );
    expect(answer.status).toBe(400);
    expect(
      answer.body.errors.map((error: { pointer: string; code: string }) => [error.pointer, error.code]),
    ).toEqual([
      ['/body/name', 'too_small'],
      ['/body/email', 'invalid_format'],
      ['/body/password', 'too_small'],
    ]);
    expect(answer.text).not.toContain('hunter2');
  });

  it('validates headers by lower-case name', async () => {
    const bad = await call(host(), '/tenant', { headers: { 'X-Tenant-Id': 'nope' } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].pointer).toBe('/headers/x-tenant-id');
    const id = '6f1c1f9e-8a4b-4c1e-9d55-0c6a1f1e2b3c';
    expect((await call(host(), '/tenant', { headers: { 'X-Tenant-Id': id } })).body).toEqual({ tenant: id });
  });

  it('passes repeated query keys as arrays and coerces through the schema', async () => {
    const answer = await call(host(), '/users?limit=1&tag=a&tag=b');
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ limit: 1, tags: ['a', 'b'] });
    expect(answer.body.users).toHaveLength(1);
    expect((await call(host(), '/users?limit=500')).body.errors[0]).toMatchObject({
      pointer: '/querystring/limit',
      code: 'too_big',
    });
  });

  it('answers 201 with Location for created(), the password never echoed', async () => {
    const answer = await call(
      host(),
      '/users',
      json({ name: 'Grace', email: `grace${Date.now()}@example.com`, password: 'correct horse' }),
    );
    expect(answer.status).toBe(201);
    expect(answer.headers.get('location')).toBe(`/users/${answer.body.id}`);
    expect(Object.keys(answer.body).sort()).toEqual(['email', 'id', 'name', 'profile']);
    expect(answer.text).not.toContain('correct horse');
  });

  it('answers a thrown typed error as problem+json with its status and code', async () => {
    const answer = await call(host(), '/users/99');
    expect(answer.status).toBe(404);
    expect(answer.headers.get('content-type')).toBe('application/problem+json');
    expect(answer.body).toEqual({
      type: 'about:blank',
      title: 'Not Found',
      status: 404,
      detail: 'There is no user 99.',
      code: 'USER_NOT_FOUND',
    });
    const conflict = await call(
      host(),
      '/users',
      json({ name: 'Ada', email: 'ada@example.com', password: '12345678' }),
    );
    expect(conflict.status).toBe(409);
    expect(conflict.body.code).toBe('EMAIL_TAKEN');
  });

  it('answers a typed reply with its status and headers', async () => {
    const renamed = await call(host(), '/users/2', {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: '{"name":"Alan T."}',
    });
    expect(renamed.status).toBe(200);
    expect(renamed.headers.get('x-renamed')).toBe('yes');
    expect(renamed.body).toMatchObject({ id: 2, name: 'Alan T.' });
    const missing = await call(host(), '/users/77', {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: '{"name":"x"}',
    });
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe('USER_NOT_FOUND');
  });

  it('answers 204 with no body when the handler returns nothing', async () => {
    const answer = await call(host(), '/users/2', { method: 'DELETE' });
    expect(answer.status).toBe(204);
    expect(answer.text).toBe('');
  });

  it('answers an unexpected error with a bare 500 that leaks nothing', async () => {
    const answer = await call(host(), '/boom');
    expect(answer.status).toBe(500);
    expect(answer.body).toEqual({
      type: 'about:blank',
      title: 'Internal Server Error',
      status: 500,
      code: 'INTERNAL_SERVER_ERROR',
    });
  });

  it('answers 500 when the handler returns what its response schema refuses', async () => {
    const answer = await call(host(), '/broken-response');
    expect(answer.status).toBe(500);
    expect(answer.text).not.toContain('not a number');
  });

  it('answers malformed JSON with 400', async () => {
    const answer = await call(host(), '/users', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"name":',
    });
    expect(answer.status).toBe(400);
    if (!host().parsesBodies) expect(answer.body.code).toBe('MALFORMED_BODY');
  });

  it('gives each request its own scope, the same instance everywhere in it, disposed after the response', async () => {
    const first = await call(host(), '/scope');
    const second = await call(host(), '/scope');
    expect(first.body).toMatchObject({
      sameInService: true,
      sameInScope: true,
      sameThroughStorage: true,
      routePath: `${host().prefix ?? ''}/scope`,
      path: `${host().prefix ?? ''}/scope`,
    });
    expect(second.body.id).not.toBe(first.body.id);
    expect(host().log).toContain(`disposed ${first.body.id}`);
  });

  it('passes the wildcard as params["*"]', async () => {
    expect((await call(host(), '/files/a/b.txt')).body).toEqual({ path: 'a/b.txt' });
  });

  it('disposes the request scope when the client aborts, while the handler still runs', async () => {
    const started = new Promise<number>((resolve) => {
      slowStarted.resolve = resolve;
    });
    const url = new URL(`${host().url}/slow`);
    const request = httpRequest({ host: url.hostname, port: url.port, path: url.pathname });
    request.on('error', () => {});
    request.end();
    const id = await started;
    expect(host().log).not.toContain(`disposed ${id}`);
    request.destroy();
    await expect.poll(() => host().log).toContain(`disposed ${id}`);
  });
}

/** A plain host route under the request-scope middleware: resolves the scoped log, then waits. */
export const waitingRoute = {
  started: (_id: number) => {},
  release: () => {},
  async run(resolveLog: () => { id: number }): Promise<{ id: number }> {
    const log = resolveLog();
    waitingRoute.started(log.id);
    // Held until the test has seen the disposal: it must come from the abort, not from the route ending.
    await new Promise<void>((resolve) => {
      waitingRoute.release = resolve;
    });
    return { id: log.id };
  },
};

/** The middleware disposes the scope as soon as the client aborts, not when the route settles. */
export async function expectDisposalOnAbort(url: string, log: string[]): Promise<void> {
  const started = new Promise<number>((resolve) => {
    waitingRoute.started = resolve;
  });
  const target = new URL(url);
  const request = httpRequest({ host: target.hostname, port: target.port, path: target.pathname });
  request.on('error', () => {});
  request.end();
  const id = await started;
  expect(log).not.toContain(`disposed ${id}`);
  request.destroy();
  await expect.poll(() => log).toContain(`disposed ${id}`);
  waitingRoute.release();
}
