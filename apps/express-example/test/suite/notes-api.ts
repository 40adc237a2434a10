// The contract both examples keep: the same requests get the same answers whether the notes API is
// the Express 5 app or the Fastify 5 one. Each runs it from its own test/app.test.ts, in-process
// through @plinth/testing's inject, and adds what only its framework has.
import { createHealth, type Health } from '@plinth/deploy';
import type { Logger } from '@plinth/observability';
import { eventually, type InjectTarget, inject, recordingLogger } from '@plinth/testing';
import { beforeAll, describe, expect, it } from 'vitest';

type AnyAccounts = { signer: { sign(claims: { sub: string }): Promise<string> } };
type AnyStore = { list(): Promise<unknown[]> };

/** What the suite needs of an example's app modules (src/accounts.ts, src/notes.ts, src/app.ts). */
export interface NotesApiSubject<Accounts extends AnyAccounts, Store extends AnyStore> {
  createAccounts(options: { secret: string; users: ReadonlyMap<string, string> }): Promise<Accounts>;
  hashPassword(password: string): Promise<string>;
  memoryNotes(): Store;
  buildApp(options: {
    accounts: Accounts;
    health: Health;
    logger: Logger;
    notes?: Store;
    origins?: string[];
    rateLimit?: number;
  }): InjectTarget | Promise<InjectTarget>;
  /** The largest JSON body the app takes, bytes. */
  bodyLimit: number;
}

export const PASSWORD = 'correct horse battery staple';

export async function problemOf(response: Awaited<ReturnType<typeof inject>>) {
  expect(response.headers.get('content-type')).toBe('application/problem+json');
  return (await response.json()) as Record<string, unknown> & { errors?: { pointer: string }[] };
}

/** Builds apps of the subject for one test file: `setup()` gives a fresh app, `bearer()` a token header. */
export function notesApiFixtures<Accounts extends AnyAccounts, Store extends AnyStore>(
  subject: NotesApiSubject<Accounts, Store>,
) {
  let accounts: Accounts;
  beforeAll(async () => {
    accounts = await subject.createAccounts({
      secret: 'a test secret that is at least 32 bytes long',
      users: new Map([['ada', await subject.hashPassword(PASSWORD)]]),
    });
  });
  return {
    async setup(options: { health?: Health; notes?: Store; rateLimit?: number } = {}) {
      const logger = recordingLogger();
      const health = createHealth({ started: true });
      const app = await subject.buildApp({
        accounts,
        health,
        logger,
        origins: ['https://notes.example.com'],
        ...options,
      });
      return { app, logger, health };
    },
    bearer: async () => ({ authorization: `Bearer ${await accounts.signer.sign({ sub: 'ada' })}` }),
  };
}

/** The shared cases, one describe per Plinth package; returns the fixtures for the app's own cases. */
export function describeNotesApi<Accounts extends AnyAccounts, Store extends AnyStore>(
  subject: NotesApiSubject<Accounts, Store>,
) {
  const fixtures = notesApiFixtures(subject);
  const { setup, bearer } = fixtures;
  const { memoryNotes } = subject;

  describe('security headers (@plinth/security)', () => {
    it("are sent on the app's own routes, its 404s and its 401s", async () => {
      const { app } = await setup();
      for (const url of ['/', '/notes', '/missing']) {
        const response = await inject(app, url);
        expect(response.headers.get('x-content-type-options')).toBe('nosniff');
        expect(response.headers.get('x-frame-options')).toBe('SAMEORIGIN');
        expect(response.headers.get('content-security-policy')).toContain("default-src 'self'");
        expect(response.headers.get('strict-transport-security')).toContain('max-age=');
      }
    });
  });

  describe('CORS (@plinth/security)', () => {
    const preflight = (origin: string) => ({
      method: 'OPTIONS',
      url: '/notes',
      headers: {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, content-type',
      },
    });

    it('allows a preflight from a listed origin', async () => {
      const response = await inject((await setup()).app, preflight('https://notes.example.com'));
      expect(response.status).toBe(204);
      expect(response.headers.get('access-control-allow-origin')).toBe('https://notes.example.com');
      expect(response.headers.get('access-control-allow-methods')).toContain('POST');
      expect(response.headers.get('access-control-allow-headers')).toBe('authorization, content-type');
    });

    it('refuses a preflight from another origin: no Access-Control-Allow-* headers', async () => {
      const response = await inject((await setup()).app, preflight('https://evil.example'));
      expect(response.headers.get('access-control-allow-origin')).toBeNull();
      expect(response.headers.get('access-control-allow-methods')).toBeNull();
      expect(response.headers.get('vary')).toContain('Origin');
    });
  });

  describe('rate limit (@plinth/security)', () => {
    it('answers 429 problem+json with Retry-After and the RateLimit headers past the limit', async () => {
      const { app } = await setup({ rateLimit: 3 });
      for (let sent = 1; sent <= 3; sent++) {
        const response = await inject(app, '/');
        expect(response.status).toBe(200);
        expect(response.headers.get('ratelimit')).toMatch(new RegExp(`^default;r=${3 - sent};t=\\d+$`));
      }
      const refused = await inject(app, '/');
      expect(refused.status).toBe(429);
      expect(refused.headers.get('ratelimit-policy')).toBe('default;q=3;w=60');
      expect(refused.headers.get('ratelimit')).toMatch(/^default;r=0;t=\d+$/);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      // Forwarded to the app's error handler: one problem shape, carrying the request id of the log line.
      expect(await problemOf(refused)).toMatchObject({
        status: 429,
        code: 'TOO_MANY_REQUESTS',
        requestId: refused.headers.get('x-request-id'),
      });
    });
  });

  describe('authentication (@plinth/auth)', () => {
    it('answers 401 problem+json with a Bearer challenge without a token', async () => {
      const response = await inject((await setup()).app, '/notes');
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toContain('Bearer');
      // Forwarded to the app's error handler: the same code observability's UnauthorizedError has, and the request id.
      expect(await problemOf(response)).toMatchObject({
        status: 401,
        code: 'UNAUTHORIZED',
        requestId: response.headers.get('x-request-id'),
      });
    });

    it('answers 401 for a token that does not verify', async () => {
      const token = `${(await bearer()).authorization.slice(0, -4)}AAAA`;
      const response = await inject((await setup()).app, {
        url: '/notes',
        headers: { authorization: token },
      });
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toContain('invalid_token');
    });

    it('lets a token from POST /login through, and refuses a wrong password', async () => {
      const { app } = await setup();
      const wrong = await inject(app, { url: '/login', json: { username: 'ada', password: 'guess' } });
      expect(wrong.status).toBe(401);
      expect(await problemOf(wrong)).toMatchObject({ code: 'UNAUTHORIZED' });

      const login = await inject(app, { url: '/login', json: { username: 'ada', password: PASSWORD } });
      expect(login.status).toBe(200);
      const { accessToken } = (await login.json()) as { accessToken: string };
      const response = await inject(app, {
        url: '/notes',
        headers: { authorization: `Bearer ${accessToken}` },
      });
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual([]);
    });
  });

  describe('validation (@plinth/validation)', () => {
    it('answers 400 problem+json with a pointer per invalid field, and stores nothing', async () => {
      const { app } = await setup();
      const headers = await bearer();
      const response = await inject(app, { url: '/notes', headers, json: { title: '', text: 7 } });
      expect(response.status).toBe(400);
      expect(response.headers.get('x-request-id')).toBeTruthy();
      const problem = await problemOf(response);
      expect(problem.code).toBe('VALIDATION_FAILED');
      expect(problem.requestId).toBe(response.headers.get('x-request-id'));
      expect(problem.errors?.map((error) => error.pointer).sort()).toEqual(['/body/text', '/body/title']);
      expect(await (await inject(app, { url: '/notes', headers })).json()).toEqual([]);
    });

    it('passes a valid body to the route, defaults applied', async () => {
      const { app } = await setup();
      const headers = await bearer();
      const created = await inject(app, { url: '/notes', headers, json: { title: '  Groceries ' } });
      expect(created.status).toBe(201);
      const note = (await created.json()) as { id: string };
      expect(note).toMatchObject({ title: 'Groceries', text: '' });
      expect(created.headers.get('location')).toBe(`/notes/${note.id}`);
      const read = await inject(app, { url: `/notes/${note.id}`, headers });
      expect(await read.json()).toEqual(note);
    });
    it("answers the body parser's failures as problem+json: bad JSON 400, a body past its limit 413", async () => {
      const { app } = await setup();
      const headers = { ...(await bearer()), 'content-type': 'application/json' };
      const malformed = await inject(app, { method: 'POST', url: '/notes', headers, body: '{"title":' });
      expect(malformed.status).toBe(400);
      expect(await problemOf(malformed)).toMatchObject({ code: 'MALFORMED_BODY' });
      const body = JSON.stringify({ title: 'big', text: 'x'.repeat(subject.bodyLimit) });
      const large = await inject(app, { method: 'POST', url: '/notes', headers, body });
      expect(large.status).toBe(413);
      expect(await problemOf(large)).toMatchObject({ code: 'CONTENT_TOO_LARGE' });
    });
  });

  describe('request logging and problem+json errors (@plinth/observability)', () => {
    it('answers an unknown route 404 problem+json carrying the X-Request-Id', async () => {
      const response = await inject((await setup()).app, '/nothing/here');
      expect(response.status).toBe(404);
      const id = response.headers.get('x-request-id');
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
      expect(await problemOf(response)).toMatchObject({
        code: 'NOT_FOUND',
        instance: '/nothing/here',
        requestId: id,
      });
    });

    it("answers a route's own 404 (a missing note) as problem+json", async () => {
      const response = await inject((await setup()).app, { url: '/notes/nope', headers: await bearer() });
      expect(response.status).toBe(404);
      expect(await problemOf(response)).toMatchObject({ detail: 'Note nope does not exist.' });
    });

    it('answers a thrown error 500 problem+json without its message, logged with the request id', async () => {
      const notes = { ...memoryNotes(), list: () => Promise.reject(new Error('disk full at /var/notes')) };
      const { app, logger } = await setup({ notes });
      const response = await inject(app, {
        url: '/notes',
        headers: { ...(await bearer()), 'x-request-id': 'req-42' },
      });
      expect(response.status).toBe(500);
      expect(response.headers.get('x-request-id')).toBe('req-42');
      const body = await response.text();
      expect(body).not.toContain('disk full');
      expect(JSON.parse(body)).toMatchObject({
        status: 500,
        code: 'INTERNAL_SERVER_ERROR',
        requestId: 'req-42',
      });
      const logged = logger.entries.filter((entry) => entry.requestId === 'req-42');
      expect(
        logged.some((entry) => entry.level === 'error' && entry.err?.message === 'disk full at /var/notes'),
      ).toBe(true);
    });

    it('writes one line per request with its id, method, route and status', async () => {
      const { app, logger } = await setup();
      await (
        await inject(app, { url: '/notes', headers: { ...(await bearer()), 'x-request-id': 'req-7' } })
      ).text();
      // The line is written when the response closes, which may come after its head reached the client.
      await eventually(() =>
        expect(logger.find('info', 'request completed')).toEqual([
          expect.objectContaining({ requestId: 'req-7', method: 'GET', path: '/notes', status: 200 }),
        ]),
      );
    });
  });

  describe('health endpoints (@plinth/deploy)', () => {
    it('answers /livez at once and /readyz once the app is started, 503 while shutting down', async () => {
      const health: Health = createHealth();
      const { app } = await setup({ health });
      expect((await inject(app, '/livez')).status).toBe(200);
      const before = await inject(app, '/readyz');
      expect(before.status).toBe(503);
      expect(before.headers.get('content-type')).toBe('application/health+json');
      health.markStarted();
      expect(await (await inject(app, '/readyz')).json()).toEqual({ status: 'pass' });
      health.markShuttingDown();
      expect((await inject(app, '/readyz')).status).toBe(503);
      expect((await inject(app, '/livez')).status).toBe(200);
    });
  });

  describe('OpenAPI (@plinth/devtools)', () => {
    it('lists the validated route with its body schema, the login as public, and serves /docs', async () => {
      const { app } = await setup();
      const document = (await (await inject(app, '/openapi.json')).json()) as {
        paths: Record<string, Record<string, Record<string, unknown>>>;
      };
      const create = document.paths['/notes']?.post;
      expect(create).toMatchObject({
        summary: 'Create a note',
        requestBody: {
          content: {
            'application/json': { schema: { properties: { title: { type: 'string', minLength: 1 } } } },
          },
        },
        responses: { '400': { $ref: '#/components/responses/ValidationFailed' } },
      });
      expect(document.paths['/login']?.post?.security).toEqual([]);
      expect(Object.keys(document.paths)).toEqual(
        expect.arrayContaining(['/', '/login', '/notes', '/notes/{id}']),
      );
      const docs = await inject(app, '/docs');
      expect(docs.status).toBe(200);
      expect(docs.headers.get('content-type')).toMatch(/^text\/html/);
    });
  });
  return fixtures;
}
