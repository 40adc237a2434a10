// The reference API in-process through app.fetch: routes, problem+json errors, request ids, health.
import { createHealth } from '@plinth/deploy';
import { createLogger } from '@plinth/observability';
import { beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { createUserStore } from '../src/users.js';

function setup() {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger({
    level: 'info',
    pretty: false,
    destination: { write: (line: string) => lines.push(JSON.parse(line)) },
  });
  const health = createHealth({ service: { serviceId: 'reference-test' } });
  const users = createUserStore([{ name: 'Ada Lovelace', email: 'ada@example.com' }]);
  const app = buildApp({ users, logger, health });
  const request = (path: string, init?: RequestInit) =>
    app.fetch(new Request(`http://localhost${path}`, init));
  return { app, health, lines, request, users };
}

const postJson = (body: unknown): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: typeof body === 'string' ? body : JSON.stringify(body),
});

describe('reference app', () => {
  let t: ReturnType<typeof setup>;
  beforeEach(() => {
    t = setup();
  });

  it('answers GET / with JSON describing the service', async () => {
    const response = await t.request('/');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await response.json()).toMatchObject({ name: 'plinth-reference', links: { users: '/users' } });
  });

  it('reads a user by its id parameter', async () => {
    const response = await t.request('/users/1');
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ id: '1', name: 'Ada Lovelace' });
  });

  it('answers an unknown user with a 404 problem+json', async () => {
    const response = await t.request('/users/42');
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(await response.json()).toMatchObject({
      status: 404,
      title: 'Not Found',
      detail: 'There is no user with id "42".',
      instance: '/users/42',
    });
  });

  it('answers an unknown path with a 404 problem+json and logs it as a warning', async () => {
    const response = await t.request('/no/such/thing');
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    const body = await response.json();
    expect(body).toMatchObject({ status: 404, detail: 'Nothing is served at GET /no/such/thing.' });
    const line = t.lines.find((entry) => entry.status === 404);
    expect(line).toMatchObject({ level: 40, method: 'GET', status: 404 });
  });

  it('creates a user and points to it with Location', async () => {
    const response = await t.request(
      '/users',
      postJson({ name: 'Grace Hopper', email: 'grace@example.com' }),
    );
    expect(response.status).toBe(201);
    const user = await response.json();
    expect(response.headers.get('location')).toBe(`/users/${user.id}`);
    expect(t.users.get(user.id)).toMatchObject({ name: 'Grace Hopper', email: 'grace@example.com' });
  });

  it('rejects an invalid user with 422 and one entry per field', async () => {
    const response = await t.request('/users', postJson({ name: '', email: 'not-an-email' }));
    expect(response.status).toBe(422);
    const body = await response.json();
    expect(body.code).toBe('VALIDATION_FAILED');
    expect(body.errors.map((error: { pointer: string }) => error.pointer).sort()).toEqual([
      '/body/email',
      '/body/name',
    ]);
    expect(t.users.list()).toHaveLength(1);
  });

  it('rejects malformed JSON with 400 and keeps serving', async () => {
    const response = await t.request('/users', postJson('{"name": "x",'));
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect((await t.request('/users/1')).status).toBe(200);
  });

  it('rejects a body that is not JSON with 415', async () => {
    const response = await t.request('/users', {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'hi',
    });
    expect(response.status).toBe(415);
  });

  it('rejects a second user with the same email with 409', async () => {
    const response = await t.request('/users', postJson({ name: 'Ada again', email: 'ADA@example.com' }));
    expect(response.status).toBe(409);
    expect(t.users.list()).toHaveLength(1);
  });

  it('echoes a valid incoming request id and logs the line with it and the route pattern', async () => {
    const response = await t.request('/users/1', { headers: { 'x-request-id': 'abc-123' } });
    expect(response.headers.get('x-request-id')).toBe('abc-123');
    expect(t.lines.find((entry) => entry.requestId === 'abc-123')).toMatchObject({
      route: '/users/:id',
      status: 200,
    });
  });

  it('reports readiness 503 until started and after shutdown begins', async () => {
    expect((await t.request('/readyz')).status).toBe(503);
    t.health.markStarted();
    expect((await t.request('/readyz')).status).toBe(200);
    expect((await t.request('/livez')).status).toBe(200);
    t.health.markShuttingDown();
    expect((await t.request('/readyz')).status).toBe(503);
  });

  it('lists its routes with their metadata', () => {
    expect(t.app.routes.map((route) => `${route.method} ${route.path}`)).toEqual(
      expect.arrayContaining(['GET /', 'GET /users/:id', 'POST /users']),
    );
    expect(t.app.routes.find((route) => route.path === '/users/:id')?.meta).toMatchObject({
      summary: 'Get one user',
      tags: ['users'],
      schema: { params: expect.anything(), response: { 200: expect.anything() } },
    });
  });

  it('serves an OpenAPI 3.1 document of its routes, read from the same declarations', async () => {
    const response = await t.request('/openapi.json');
    expect(response.status).toBe(200);
    const document = await response.json();
    expect(document.openapi).toBe('3.1.0');
    expect(Object.keys(document.paths).sort()).toEqual(['/', '/users', '/users/{id}']);
    const create = document.paths['/users'].post;
    expect(create.requestBody.content['application/json'].schema.required).toEqual(['name', 'email']);
    expect(Object.keys(create.responses)).toEqual(expect.arrayContaining(['201', '422']));
    expect(document.components.schemas.User.properties).toHaveProperty('createdAt');
  });

  it('serves the docs page from the installed package, without a CDN', async () => {
    const response = await t.request('/docs');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const page = await response.text();
    expect(page).not.toMatch(/https?:\/\/(cdn|unpkg|jsdelivr)/);
    const asset = page.match(/src="([^"]+\.js)"/)?.[1];
    expect(asset).toBeDefined();
    expect((await t.request(asset as string)).status).toBe(200);
  });

  it('never lets a response field the schema does not name leave the API', async () => {
    t.users.create({ name: 'Mallory', email: 'mallory@example.com' });
    const stored = t.users.list().at(-1) as unknown as Record<string, unknown>;
    stored.passwordHash = 'scrypt$secret';
    const response = await t.request(`/users/${String(stored.id)}`);
    expect(await response.json()).not.toHaveProperty('passwordHash');
  });
});
