// The reference API in-process through @plinth/testing's inject(): routes, problem+json errors,
// request ids, health, OpenAPI — one suite, run on PGlite and on PostgreSQL (test/api.*.test.ts).
import { createHealth, type Health } from '@plinth/deploy';
import type { App } from '@plinth/http';
import { createLogger } from '@plinth/observability';
import { type InjectRequest, inject } from '@plinth/testing';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { users } from '../../src/schema.js';
import type { AppDatabase } from '../../src/users.js';
import type { TestDatabase } from './databases.js';

interface Setup {
  app: App;
  db: AppDatabase;
  health: Health;
  lines: Record<string, unknown>[];
  request(request: InjectRequest | string): ReturnType<typeof inject>;
}

function setup(db: AppDatabase): Setup {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger({
    level: 'info',
    pretty: false,
    destination: { write: (line: string) => lines.push(JSON.parse(line)) },
  });
  // cacheTtl 0: each probe runs the checks, so a closed database shows at the next probe.
  const health = createHealth({ service: { serviceId: 'reference-test' }, cacheTtl: 0 });
  const app = buildApp({ db, logger, health });
  return { app, db, health, lines, request: (request) => inject(app, request) };
}

const rowsWithEmail = (db: AppDatabase, email: string) =>
  db.select().from(users).where(eq(users.email, email));

/**
 * The API suite on the database `open` makes (one for the file, dropped after it). The database is
 * shared by the tests of the file, so each test uses emails of its own and counts only its own rows.
 */
export function apiSuite(engine: string, open: () => Promise<TestDatabase | undefined>) {
  describe(`reference API on ${engine}`, () => {
    let database: TestDatabase | undefined;
    let t: Setup;
    beforeAll(async () => {
      database = await open();
      if (database) t = setup(database.db);
    });
    afterAll(() => database?.drop());

    it('answers GET / with JSON describing the service', async ({ skip }) => {
      if (!database) return skip();
      const response = await t.request('/');
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      expect(await response.json()).toMatchObject({ name: 'plinth-reference', links: { users: '/users' } });
    });

    it('reads the demo user a fresh database was seeded with', async ({ skip }) => {
      if (!database) return skip();
      const response = await t.request('/users/1');
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({
        id: '1',
        name: 'Ada Lovelace',
        email: 'ada@example.com',
        createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      });
    });

    it('answers an unknown user with a 404 problem+json', async ({ skip }) => {
      if (!database) return skip();
      const response = await t.request('/users/4242');
      expect(response.status).toBe(404);
      expect(response.headers.get('content-type')).toBe('application/problem+json');
      expect(await response.json()).toMatchObject({
        status: 404,
        title: 'Not Found',
        detail: 'There is no user with id "4242".',
        instance: '/users/4242',
      });
    });

    it('answers 404 for ids no integer column holds, without a failed query', async ({ skip }) => {
      if (!database) return skip();
      for (const id of ['abc', '0', '-1', '99999999999', '2147483648', '1.5']) {
        const response = await t.request(`/users/${id}`);
        expect(response.status, id).toBe(404);
      }
      expect((await t.request('/readyz')).status).not.toBe(500);
    });

    it('answers an unknown path with a 404 problem+json and logs it as a warning', async ({ skip }) => {
      if (!database) return skip();
      const response = await t.request('/no/such/thing');
      expect(response.status).toBe(404);
      expect(response.headers.get('content-type')).toBe('application/problem+json');
      const body = await response.json();
      expect(body).toMatchObject({ status: 404, detail: 'Nothing is served at GET /no/such/thing.' });
      const line = t.lines.find((entry) => entry.status === 404 && entry.path === '/no/such/thing');
      expect(line ?? t.lines.find((entry) => entry.status === 404)).toMatchObject({
        level: 40,
        method: 'GET',
        status: 404,
      });
    });

    it('creates a user in the database and points to it with Location', async ({ skip }) => {
      if (!database) return skip();
      const response = await t.request({
        method: 'POST',
        url: '/users',
        json: { name: 'Grace Hopper', email: 'grace@example.com' },
      });
      expect(response.status).toBe(201);
      const user = (await response.json()) as { id: string };
      expect(response.headers.get('location')).toBe(`/users/${user.id}`);
      const stored = await rowsWithEmail(t.db, 'grace@example.com');
      expect(stored).toHaveLength(1);
      expect(stored[0]).toMatchObject({ id: Number(user.id), name: 'Grace Hopper' });
      expect(await (await t.request(`/users/${user.id}`)).json()).toEqual(user);
      const listed = (await (await t.request('/users')).json()) as Array<{ id: string }>;
      expect(listed.map((entry) => entry.id)).toContain(user.id);
    });

    it('rejects an invalid user with 422 and one entry per field, storing nothing', async ({ skip }) => {
      if (!database) return skip();
      const response = await t.request({
        method: 'POST',
        url: '/users',
        json: { name: '', email: 'not-an-email' },
      });
      expect(response.status).toBe(422);
      const body = (await response.json()) as { code: string; errors: Array<{ pointer: string }> };
      expect(body.code).toBe('VALIDATION_FAILED');
      expect(body.errors.map((error: { pointer: string }) => error.pointer).sort()).toEqual([
        '/body/email',
        '/body/name',
      ]);
      expect(await rowsWithEmail(t.db, 'not-an-email')).toHaveLength(0);
    });

    it('rejects malformed JSON with 400 and keeps serving', async ({ skip }) => {
      if (!database) return skip();
      const response = await t.request({
        method: 'POST',
        url: '/users',
        headers: { 'content-type': 'application/json' },
        body: '{"name": "x",',
      });
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toBe('application/problem+json');
      expect((await t.request('/users/1')).status).toBe(200);
    });

    it('rejects a body that is not JSON with 415', async ({ skip }) => {
      if (!database) return skip();
      const response = await t.request({
        method: 'POST',
        url: '/users',
        headers: { 'content-type': 'text/plain' },
        body: 'hi',
      });
      expect(response.status).toBe(415);
    });

    it('answers a taken email, in any case, with 409 from the unique index and stores nothing', async ({
      skip,
    }) => {
      if (!database) return skip();
      const response = await t.request({
        method: 'POST',
        url: '/users',
        json: { name: 'Ada again', email: 'ADA@example.com' },
      });
      expect(response.status).toBe(409);
      expect(response.headers.get('content-type')).toBe('application/problem+json');
      expect(await response.json()).toMatchObject({
        status: 409,
        title: 'Conflict',
        code: 'EMAIL_TAKEN',
        detail: 'A user with email "ADA@example.com" exists already.',
      });
      expect(await rowsWithEmail(t.db, 'ADA@example.com')).toHaveLength(0);
    });

    it('lets exactly one of several racing requests for one email win', async ({ skip }) => {
      if (!database) return skip();
      const attempt = (index: number) =>
        t.request({
          method: 'POST',
          url: '/users',
          json: { name: `Racer ${index}`, email: 'race@example.com' },
        });
      const statuses = (await Promise.all([0, 1, 2, 3, 4].map(attempt))).map((response) => response.status);
      expect(statuses.sort()).toEqual([201, 409, 409, 409, 409]);
      expect(await rowsWithEmail(t.db, 'race@example.com')).toHaveLength(1);
    });

    it('echoes a valid incoming request id and logs the line with it and the route pattern', async ({
      skip,
    }) => {
      if (!database) return skip();
      const response = await t.request({ url: '/users/1', headers: { 'x-request-id': 'abc-123' } });
      expect(response.headers.get('x-request-id')).toBe('abc-123');
      expect(t.lines.find((entry) => entry.requestId === 'abc-123')).toMatchObject({
        route: '/users/:id',
        status: 200,
      });
    });

    it('lists its routes with their metadata', ({ skip }) => {
      if (!database) return skip();
      expect(t.app.routes.map((route) => `${route.method} ${route.path}`)).toEqual(
        expect.arrayContaining(['GET /', 'GET /users/:id', 'POST /users']),
      );
      expect(t.app.routes.find((route) => route.path === '/users/:id')?.meta).toMatchObject({
        summary: 'Get one user',
        tags: ['users'],
        schema: { params: expect.anything(), response: { 200: expect.anything() } },
      });
    });

    it('serves an OpenAPI 3.1 document of its routes, read from the same declarations', async ({ skip }) => {
      if (!database) return skip();
      const response = await t.request('/openapi.json');
      expect(response.status).toBe(200);
      // biome-ignore lint/suspicious/noExplicitAny: a JSON document walked by the assertions below
      const document = (await response.json()) as any;
      expect(document.openapi).toBe('3.1.0');
      expect(Object.keys(document.paths).sort()).toEqual(['/', '/users', '/users/{id}']);
      const create = document.paths['/users'].post;
      expect(create.requestBody.content['application/json'].schema.required).toEqual(['name', 'email']);
      expect(Object.keys(create.responses)).toEqual(expect.arrayContaining(['201', '409', '422']));
      expect(document.components.schemas.User.properties).toHaveProperty('createdAt');
    });

    it('serves the docs page from the installed package, without a CDN', async ({ skip }) => {
      if (!database) return skip();
      const response = await t.request('/docs');
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/html/);
      const page = await response.text();
      expect(page).not.toMatch(/https?:\/\/(cdn|unpkg|jsdelivr)/);
      const asset = page.match(/src="([^"]+\.js)"/)?.[1];
      expect(asset).toBeDefined();
      expect((await t.request(asset as string)).status).toBe(200);
    });

    // Last: it closes the database, which the file's other tests need.
    it('reports readiness 503 until started, with the database check, and when the database is gone', async ({
      skip,
    }) => {
      if (!database) return skip();
      expect((await t.request('/readyz')).status).toBe(503);
      t.health.markStarted();
      const ready = await t.request('/readyz?verbose');
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({
        checks: { 'database:responseTime': [{ componentType: 'datastore', status: 'pass' }] },
      });
      expect((await t.request('/livez')).status).toBe(200);
      await t.db.close();
      const gone = await t.request('/readyz?verbose');
      expect(gone.status).toBe(503);
      expect(await gone.json()).toMatchObject({
        checks: { 'database:responseTime': [{ status: 'fail' }] },
      });
      expect((await t.request('/livez')).status).toBe(200);
    });
  });
}
