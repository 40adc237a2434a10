// The task tracker's API in-process through @plinth/testing's inject(): auth flows, roles, the ABAC
// close rule, filtered and paged lists, the outbox, rate limits, security headers, CORS, problem+json,
// health and OpenAPI — one suite, run on PGlite and on PostgreSQL (test/api.*.test.ts).
import { createInjector, eventually, withRollback } from '@plinth/testing';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projects, tasks, teams } from '../../src/schema.js';
import { createServices } from '../../src/services.js';
import type { TestApp } from './app.js';
import { testApp } from './app.js';
import type { TestDatabase } from './databases.js';

interface Task {
  id: string;
  teamId: string;
  projectId: string;
  status: string;
  assigneeId: string | null;
  title: string;
  version: number;
}

type Session = Awaited<ReturnType<TestApp['login']>>;

const json = (method: string, url: string, body: unknown) => ({ method, url, json: body });

/**
 * The API suite on the database `open` makes (one for the file, dropped after it). The database is
 * shared by the tests of the file, so each test makes the users and teams it changes.
 */
export function apiSuite(engine: string, open: () => Promise<TestDatabase | undefined>) {
  describe(`reference API on ${engine}`, () => {
    let database: TestDatabase | undefined;
    let t: TestApp;
    let owner: Session;
    let member: Session;
    let viewer: Session;
    let demoTeam: string;
    let launch: string;

    beforeAll(async () => {
      database = await open();
      if (!database) return;
      t = await testApp(database.db);
      const logins = await Promise.all(
        ['owner', 'member', 'viewer'].map((role) => t.login(`${role}@example.com`)),
      );
      [owner, member, viewer] = logins as [Session, Session, Session];
      const [team] = await t.db.select().from(teams).where(eq(teams.name, 'Demo team'));
      demoTeam = team!.id;
      const [project] = await t.db.select().from(projects).where(eq(projects.teamId, demoTeam));
      launch = project!.id;
    });
    afterAll(() => database?.drop());

    /** A fresh task in the demo project, created by the owner. */
    const newTask = async (assigneeId?: string): Promise<Task> => {
      const response = await t.as(
        owner.accessToken,
        json('POST', `/projects/${launch}/tasks`, {
          title: 'A task of this test',
          ...(assigneeId && { assigneeId }),
        }),
      );
      expect(response.status).toBe(201);
      return (await response.json()) as Task;
    };

    it('answers GET / with JSON describing the service', async ({ skip }) => {
      if (!database) return skip();
      const response = await t.request('/');
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ name: 'plinth-reference', links: { board: '/board' } });
    });

    describe('sign-up, login, refresh, logout', () => {
      it('signs a user up and answers a token pair that opens /me', async ({ skip }) => {
        if (!database) return skip();
        const response = await t.request(
          json('POST', '/auth/signup', {
            email: `ada-${engine}@example.test`,
            password: 'analytical',
            name: 'Ada',
          }),
        );
        expect(response.status).toBe(201);
        const session = (await response.json()) as {
          accessToken: string;
          refreshToken: string;
          expiresIn: number;
        };
        expect(session).toMatchObject({
          user: { email: `ada-${engine}@example.test`, name: 'Ada' },
          expiresIn: 900,
        });
        expect(session).not.toHaveProperty('user.passwordHash');
        const me = await t.as(session.accessToken, '/me');
        expect(await me.json()).toMatchObject({ email: `ada-${engine}@example.test`, teams: [] });
      });

      it('refuses a taken email in any case with 409 EMAIL_TAKEN', async ({ skip }) => {
        if (!database) return skip();
        const response = await t.request(
          json('POST', '/auth/signup', {
            email: 'OWNER@example.com',
            password: 'whatever-else',
            name: 'Copy',
          }),
        );
        expect(response.status).toBe(409);
        expect(await response.json()).toMatchObject({ code: 'EMAIL_TAKEN' });
      });

      it('answers a wrong password and an unknown email alike: 401 INVALID_CREDENTIALS', async ({ skip }) => {
        if (!database) return skip();
        for (const email of ['member@example.com', 'nobody@example.com']) {
          const response = await t.request(
            json('POST', '/auth/login', { email, password: 'wrong-password' }),
          );
          expect(response.status).toBe(401);
          expect(response.headers.get('content-type')).toBe('application/problem+json');
          expect(await response.json()).toMatchObject({ code: 'INVALID_CREDENTIALS' });
        }
      });

      it('rotates the refresh token; reusing one revokes the whole family', async ({ skip }) => {
        if (!database) return skip();
        const { refreshToken: first } = await t.users.create();
        const rotated = await t.request(json('POST', '/auth/refresh', { refreshToken: first }));
        expect(rotated.status).toBe(200);
        const { refreshToken: second, accessToken } = (await rotated.json()) as Record<string, string>;
        expect(second).not.toBe(first);
        expect((await t.as(accessToken!, '/me')).status).toBe(200);
        // The first token again: a thief replaying it. The family is revoked, the second token too.
        const reused = await t.request(json('POST', '/auth/refresh', { refreshToken: first }));
        expect(reused.status).toBe(401);
        expect(await reused.json()).toMatchObject({ code: 'REFRESH_TOKEN_REUSED' });
        const afterReuse = await t.request(json('POST', '/auth/refresh', { refreshToken: second }));
        expect(afterReuse.status).toBe(401);
        expect(await afterReuse.json()).toMatchObject({ code: 'REFRESH_TOKEN_INVALID' });
      });

      it('logs out: 204, and the refresh token works no more', async ({ skip }) => {
        if (!database) return skip();
        const { refreshToken } = await t.users.create();
        expect((await t.request(json('POST', '/auth/logout', { refreshToken }))).status).toBe(204);
        expect((await t.request(json('POST', '/auth/refresh', { refreshToken }))).status).toBe(401);
      });

      it('answers 401 with a Bearer challenge without credentials, and for a forged token', async ({
        skip,
      }) => {
        if (!database) return skip();
        const anonymous = await t.request('/me');
        expect(anonymous.status).toBe(401);
        expect(anonymous.headers.get('www-authenticate')).toMatch(/^Bearer/);
        const forged = await t.as(`${member.accessToken.slice(0, -4)}AAAA`, '/me');
        expect(forged.status).toBe(401);
        expect(forged.headers.get('content-type')).toBe('application/problem+json');
      });

      it('runs the browser flow on the session cookie, CSRF-checked by Fetch Metadata', async ({ skip }) => {
        if (!database) return skip();
        const browser = createInjector(t.app);
        const login = await browser(
          json('POST', '/auth/login?cookie=1', { email: 'member@example.com', password: 'plinth-demo' }),
        );
        expect(login.status).toBe(200);
        const cookie = login.cookies.find((entry) => entry.name === t.auth.sessions.name);
        expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
        expect(await (await browser('/me')).json()).toMatchObject({ email: 'member@example.com' });
        const forged = await browser({
          ...json('POST', '/teams', { name: 'Forged' }),
          headers: { 'sec-fetch-site': 'cross-site', origin: 'https://evil.example' },
        });
        expect(forged.status).toBe(403);
        expect(await forged.json()).toMatchObject({ code: 'CSRF_ORIGIN_REJECTED' });
        const own = await browser({
          ...json('POST', '/teams', { name: 'From the board' }),
          headers: { 'sec-fetch-site': 'same-origin' },
        });
        expect(own.status).toBe(201);
        const logout = await browser(json('POST', '/auth/logout', {}));
        expect(logout.status).toBe(204);
        expect((await browser('/me')).status).toBe(401);
      });
    });

    describe('roles and rules', () => {
      it('lets only an owner add members: 403 problem+json for a member', async ({ skip }) => {
        if (!database) return skip();
        const newcomer = await t.users.create();
        const byMember = await t.as(
          member.accessToken,
          json('POST', `/teams/${demoTeam}/members`, { email: newcomer.user.email, role: 'viewer' }),
        );
        expect(byMember.status).toBe(403);
        expect(byMember.headers.get('content-type')).toBe('application/problem+json');
        expect(await byMember.json()).toMatchObject({ status: 403, code: 'OWNER_REQUIRED' });
        const byOwner = await t.as(
          owner.accessToken,
          json('POST', `/teams/${demoTeam}/members`, { email: newcomer.user.email, role: 'viewer' }),
        );
        expect(byOwner.status).toBe(201);
        expect(await byOwner.json()).toMatchObject({ userId: newcomer.user.id, role: 'viewer' });
        const again = await t.as(
          owner.accessToken,
          json('POST', `/teams/${demoTeam}/members`, { email: newcomer.user.email, role: 'member' }),
        );
        expect(again.status).toBe(409);
      });

      it('lets the assignee or an owner close a task, nobody else', async ({ skip }) => {
        if (!database) return skip();
        const ownersTask = await newTask(owner.user.id);
        const byMember = await t.as(
          member.accessToken,
          json('PATCH', `/tasks/${ownersTask.id}`, { status: 'done' }),
        );
        expect(byMember.status).toBe(403);
        expect(await byMember.json()).toMatchObject({ code: 'CLOSE_NOT_ALLOWED' });
        // A member may still work on it, short of closing it.
        const started = await t.as(
          member.accessToken,
          json('PATCH', `/tasks/${ownersTask.id}`, { status: 'in_progress' }),
        );
        expect(await started.json()).toMatchObject({ status: 'in_progress', version: 2 });

        const membersTask = await newTask(member.user.id);
        const byAssignee = await t.as(
          member.accessToken,
          json('PATCH', `/tasks/${membersTask.id}`, { status: 'done' }),
        );
        expect(byAssignee.status).toBe(200);
        expect(await byAssignee.json()).toMatchObject({ status: 'done' });
        const byOwner = await t.as(
          owner.accessToken,
          json('PATCH', `/tasks/${ownersTask.id}`, { status: 'done' }),
        );
        expect(byOwner.status).toBe(200);
      });

      it('lets a viewer read but not write', async ({ skip }) => {
        if (!database) return skip();
        const task = await newTask();
        expect((await t.as(viewer.accessToken, `/tasks/${task.id}`)).status).toBe(200);
        for (const request of [
          json('PATCH', `/tasks/${task.id}`, { title: 'Renamed' }),
          json('POST', `/tasks/${task.id}/comments`, { body: 'Hello' }),
          json('POST', `/projects/${launch}/tasks`, { title: 'Mine' }),
          json('POST', `/teams/${demoTeam}/projects`, { name: 'Mine' }),
        ]) {
          const response = await t.as(viewer.accessToken, request);
          expect(response.status, request.url).toBe(403);
          expect(await response.json()).toMatchObject({ code: 'NOT_ALLOWED' });
        }
      });

      it('never shows a user another team: its tasks, projects and task ids answer 404', async ({ skip }) => {
        if (!database) return skip();
        const outsider = await t.users.create();
        const own = await t.as(outsider.accessToken, json('POST', '/teams', { name: 'Outsiders' }));
        const ownTeam = (await own.json()) as { id: string; role: string };
        expect(ownTeam.role).toBe('owner');
        const project = await t.as(
          outsider.accessToken,
          json('POST', `/teams/${ownTeam.id}/projects`, { name: 'Side' }),
        );
        const { id: projectId } = (await project.json()) as { id: string };
        await t.as(
          outsider.accessToken,
          json('POST', `/projects/${projectId}/tasks`, { title: 'Outside task' }),
        );

        const theirs = (await (await t.as(outsider.accessToken, `/teams/${ownTeam.id}/tasks`)).json()) as {
          items: Task[];
        };
        expect(theirs.items.map((task) => task.title)).toEqual(['Outside task']);
        expect((await t.as(outsider.accessToken, `/teams/${demoTeam}/tasks`)).status).toBe(404);
        expect((await t.as(outsider.accessToken, `/teams/${demoTeam}/projects`)).status).toBe(404);
        const demoTask = await newTask();
        expect((await t.as(outsider.accessToken, `/tasks/${demoTask.id}`)).status).toBe(404);
        expect(
          (await t.as(outsider.accessToken, json('PATCH', `/tasks/${demoTask.id}`, { title: 'x' }))).status,
        ).toBe(404);
        // And the demo members see none of the outsiders' tasks.
        const demo = (await (await t.as(owner.accessToken, `/teams/${demoTeam}/tasks?limit=100`)).json()) as {
          items: Task[];
        };
        expect(demo.items.every((task) => task.teamId === demoTeam)).toBe(true);
        expect((await t.as(owner.accessToken, `/teams/${ownTeam.id}/tasks`)).status).toBe(404);
      });
    });

    describe('task lists', () => {
      it('pages by keyset cursor: every task once, in creation order', async ({ skip }) => {
        if (!database) return skip();
        const seen: Task[] = [];
        let cursor: string | null = null;
        do {
          const url = `/teams/${demoTeam}/tasks?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
          const page = (await (await t.as(viewer.accessToken, url)).json()) as {
            items: Task[];
            nextCursor: string | null;
          };
          expect(page.items.length).toBeLessThanOrEqual(2);
          seen.push(...page.items);
          cursor = page.nextCursor;
        } while (cursor);
        const [{ total }] = (await t.db
          .select({ total: sql<number>`count(*)::int` })
          .from(tasks)
          .where(eq(tasks.teamId, demoTeam))) as [{ total: number }];
        expect(seen).toHaveLength(total);
        expect(new Set(seen.map((task) => task.id)).size).toBe(total);
        expect(seen[0]?.title).toBe('Write the launch announcement');
      });

      it('filters by status and assignee', async ({ skip }) => {
        if (!database) return skip();
        const page = (await (
          await t.as(
            viewer.accessToken,
            `/teams/${demoTeam}/tasks?status=open&assigneeId=${member.user.id}&limit=100`,
          )
        ).json()) as { items: Task[] };
        expect(page.items.length).toBeGreaterThan(0);
        expect(page.items.every((task) => task.status === 'open' && task.assigneeId === member.user.id)).toBe(
          true,
        );
      });

      it('refuses an edited cursor with 400 INVALID_CURSOR', async ({ skip }) => {
        if (!database) return skip();
        const first = (await (await t.as(viewer.accessToken, `/teams/${demoTeam}/tasks?limit=1`)).json()) as {
          nextCursor: string;
        };
        const edited = `${first.nextCursor.slice(0, -2)}xx`;
        const response = await t.as(viewer.accessToken, `/teams/${demoTeam}/tasks?cursor=${edited}`);
        expect(response.status).toBe(400);
        expect(await response.json()).toMatchObject({ code: 'INVALID_CURSOR' });
      });
    });

    describe('domain events', () => {
      const eventsOf = (taskId: string) =>
        t.db.execute(
          sql`select type, payload from plinth_outbox where payload->>'taskId' = ${taskId} order by id`,
        ) as unknown as Promise<
          { rows?: Array<{ type: string; payload: Record<string, unknown> }> } & Array<{
            type: string;
            payload: Record<string, unknown>;
          }>
        >;
      const rowsOf = async (taskId: string) => {
        const result = await eventsOf(taskId);
        return (result.rows ?? result) as Array<{ type: string; payload: Record<string, unknown> }>;
      };

      it('writes task.created, task.assigned, task.updated, task.closed and comment.added to the outbox', async ({
        skip,
      }) => {
        if (!database) return skip();
        const task = await newTask(member.user.id);
        await t.as(member.accessToken, json('POST', `/tasks/${task.id}/comments`, { body: 'On it' }));
        await t.as(member.accessToken, json('PATCH', `/tasks/${task.id}`, { status: 'done' }));
        const comments = await t.as(viewer.accessToken, `/tasks/${task.id}/comments`);
        expect(await comments.json()).toMatchObject([{ body: 'On it', authorId: member.user.id }]);
        const rows = await rowsOf(task.id);
        expect(rows.map((row) => row.type)).toEqual([
          'task.created',
          'task.assigned',
          'comment.added',
          'task.updated',
          'task.closed',
        ]);
        expect(rows[1]?.payload).toMatchObject({
          teamId: demoTeam,
          projectId: launch,
          taskId: task.id,
          actorId: owner.user.id,
          previousAssigneeId: null,
          task: { id: task.id, assigneeId: member.user.id },
        });
        expect(rows[2]?.payload).toMatchObject({ comment: { body: 'On it' } });
        expect(rows[4]?.payload).toMatchObject({ actorId: member.user.id, task: { status: 'done' } });
      });

      it('writes the event in the change’s transaction: rolled back, neither exists', async ({ skip }) => {
        if (!database) return skip();
        let created: { id: string } | undefined;
        // The test's own transaction, rolled back at its end (@plinth/testing); inside it both rows exist.
        await withRollback(t.db, async (tx) => {
          const services = createServices(tx as unknown as typeof t.db, t.auth);
          created = await services.tasks.create(owner.user.id, launch, { title: 'Rolled back' });
          const inside = await tx.execute(
            sql`select type from plinth_outbox where payload->>'taskId' = ${created.id}`,
          );
          expect(((inside as { rows?: unknown[] }).rows ?? (inside as unknown[])).length).toBe(1);
        });
        expect(await t.db.select().from(tasks).where(eq(tasks.id, created!.id))).toHaveLength(0);
        expect(await rowsOf(created!.id)).toHaveLength(0);
        // A service that fails after its write rolls back both as well.
        await expect(
          t.services.transactions.transactional(async () => {
            created = await t.services.tasks.create(owner.user.id, launch, { title: 'Fails later' });
            throw new Error('the rest of the unit of work failed');
          }),
        ).rejects.toThrow('the rest of the unit of work failed');
        expect(
          await t.db
            .select()
            .from(tasks)
            .where(and(eq(tasks.id, created!.id))),
        ).toHaveLength(0);
        expect(await rowsOf(created!.id)).toHaveLength(0);
      });
    });

    describe('the HTTP edge', () => {
      it("sends OWASP's API headers on JSON answers and errors, helmet's set on the docs page", async ({
        skip,
      }) => {
        if (!database) return skip();
        for (const response of [
          await t.request('/'),
          await t.request('/no/such/thing'),
          await t.request('/me'),
        ]) {
          expect(response.headers.get('x-content-type-options')).toBe('nosniff');
          expect(response.headers.get('content-security-policy')).toBe(
            "default-src 'none'; frame-ancestors 'none'",
          );
          expect(response.headers.get('x-frame-options')).toBe('DENY');
          expect(response.headers.get('cross-origin-resource-policy')).toBe('same-origin');
          expect(response.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
          // Headers that steer documents are not sent on JSON.
          expect(response.headers.get('cross-origin-opener-policy')).toBeNull();
          expect(response.headers.get('x-xss-protection')).toBeNull();
          expect(response.headers.get('x-powered-by')).toBeNull();
        }
        expect((await t.request('/')).headers.get('cache-control')).toBe('no-store');
        const docs = await t.request('/docs');
        expect(docs.headers.get('content-type')).toMatch(/text\/html/);
        expect(docs.headers.get('content-security-policy')).toMatch(/default-src 'self'/);
        expect(docs.headers.get('x-frame-options')).toBe('SAMEORIGIN');
        expect(docs.headers.get('cross-origin-opener-policy')).toBe('same-origin');
      });

      it('answers a CORS preflight from an allowed origin, and not from another', async ({ skip }) => {
        if (!database) return skip();
        const withCors = await testApp(t.db, { corsOrigins: ['https://board.example.com'] });
        const preflight = (origin: string) =>
          withCors.request({
            method: 'OPTIONS',
            url: '/teams',
            headers: {
              origin,
              'access-control-request-method': 'POST',
              'access-control-request-headers': 'content-type',
            },
          });
        const allowed = await preflight('https://board.example.com');
        expect(allowed.status).toBe(204);
        expect(allowed.headers.get('access-control-allow-origin')).toBe('https://board.example.com');
        expect(allowed.headers.get('access-control-allow-credentials')).toBe('true');
        expect(allowed.headers.get('access-control-allow-methods')).toMatch(/POST/);
        const refused = await preflight('https://evil-example.com');
        expect(refused.headers.get('access-control-allow-origin')).toBeNull();
        expect(refused.headers.get('vary')).toMatch(/Origin/i);
      });

      it('rate-limits logins per client: 429 problem+json with RateLimit headers', async ({ skip }) => {
        if (!database) return skip();
        const limited = await testApp(t.db, { loginRateLimit: 3 });
        const attempt = () =>
          limited.request(
            json('POST', '/auth/login', { email: 'viewer@example.com', password: 'plinth-demo' }),
          );
        for (let index = 0; index < 3; index++) {
          const response = await attempt();
          expect(response.status).toBe(200);
          expect(response.headers.get('ratelimit-policy')).toBe('login;q=3;w=60');
        }
        const denied = await attempt();
        expect(denied.status).toBe(429);
        expect(denied.headers.get('content-type')).toBe('application/problem+json');
        expect(denied.headers.get('ratelimit')).toMatch(/^login;r=0;t=\d+/);
        expect(Number(denied.headers.get('retry-after'))).toBeGreaterThan(0);
        expect(await denied.json()).toMatchObject({ status: 429, code: 'TOO_MANY_REQUESTS' });
        // Other routes are not limited.
        expect((await limited.request('/')).headers.get('ratelimit')).toBeNull();
      });

      it('slows down repeated failed logins for one email: 429 TOO_MANY_ATTEMPTS', async ({ skip }) => {
        if (!database) return skip();
        const target = await t.users.create();
        const guarded = await testApp(t.db, { loginRateLimit: 100 });
        const statuses: number[] = [];
        for (let index = 0; index < 7; index++) {
          const response = await guarded.request(
            json('POST', '/auth/login', { email: target.user.email, password: 'guess' }),
          );
          statuses.push(response.status);
        }
        expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
        expect(statuses).toContain(429);
        // The right password waits too until the delay is over: the attacker learns nothing.
        const right = await guarded.request(
          json('POST', '/auth/login', { email: target.user.email, password: 'correct horse battery' }),
        );
        expect(right.status).toBe(429);
        expect(await right.json()).toMatchObject({ code: 'TOO_MANY_ATTEMPTS' });
      });

      it('answers bad input with 422 problem+json, one entry per field, storing nothing', async ({
        skip,
      }) => {
        if (!database) return skip();
        const response = await t.as(
          owner.accessToken,
          json('POST', `/projects/${launch}/tasks`, { title: '', assigneeId: 'not-a-uuid' }),
        );
        expect(response.status).toBe(422);
        expect(response.headers.get('content-type')).toBe('application/problem+json');
        const body = (await response.json()) as { code: string; errors: Array<{ pointer: string }> };
        expect(body.code).toBe('VALIDATION_FAILED');
        expect(body.errors.map((error) => error.pointer).sort()).toEqual(['/body/assigneeId', '/body/title']);
        const malformed = await t.request({
          method: 'POST',
          url: '/auth/login',
          headers: { 'content-type': 'application/json' },
          body: '{"email":',
        });
        expect(malformed.status).toBe(400);
        expect(malformed.headers.get('content-type')).toBe('application/problem+json');
        const badId = await t.as(owner.accessToken, '/tasks/123');
        expect(badId.status).toBe(422);
      });

      it('never writes a password, a token or a hash to a log line', async ({ skip }) => {
        if (!database) return skip();
        const session = await t.login('viewer@example.com');
        await t.request(json('POST', '/auth/refresh', { refreshToken: session.refreshToken }));
        await t.request(
          json('POST', '/auth/login', { email: 'viewer@example.com', password: 'a-wrong-password' }),
        );
        const logged = JSON.stringify(t.lines);
        expect(t.lines.some((line) => line.path === '/auth/refresh')).toBe(true);
        for (const secret of [
          'plinth-demo',
          'a-wrong-password',
          session.accessToken,
          session.refreshToken,
          '$scrypt$',
        ]) {
          expect(logged).not.toContain(secret);
        }
      });

      it('answers an unknown path with a 404 problem+json and logs it as a warning', async ({ skip }) => {
        if (!database) return skip();
        const response = await t.request('/no/such/path');
        expect(response.status).toBe(404);
        expect(await response.json()).toMatchObject({
          status: 404,
          detail: 'Nothing is served at GET /no/such/path.',
        });
        const line = await eventually(() => {
          const found = t.lines.find((entry) => entry.status === 404 && entry.path === '/no/such/path');
          expect(found).toBeDefined();
          return found;
        });
        expect(line).toMatchObject({ level: 40, method: 'GET' });
      });

      it('echoes a valid incoming request id and logs the line with it and the route pattern', async ({
        skip,
      }) => {
        if (!database) return skip();
        const response = await t.as(member.accessToken, {
          url: '/teams',
          headers: { 'x-request-id': 'abc-123' },
        });
        expect(response.headers.get('x-request-id')).toBe('abc-123');
        expect(t.lines.find((entry) => entry.requestId === 'abc-123')).toMatchObject({
          route: '/teams',
          status: 200,
        });
      });
    });

    describe('documentation', () => {
      it('serves an OpenAPI 3.1 document of every route with its DTOs', async ({ skip }) => {
        if (!database) return skip();
        const response = await t.request('/openapi.json');
        expect(response.status).toBe(200);
        // biome-ignore lint/suspicious/noExplicitAny: a JSON document walked by the assertions below
        const document = (await response.json()) as any;
        expect(document.openapi).toBe('3.1.0');
        expect(Object.keys(document.paths)).toEqual(
          expect.arrayContaining([
            '/auth/signup',
            '/auth/login',
            '/auth/refresh',
            '/auth/logout',
            '/me',
            '/teams',
            '/teams/{teamId}/members',
            '/teams/{teamId}/projects',
            '/teams/{teamId}/tasks',
            '/projects/{projectId}/tasks',
            '/tasks/{taskId}',
            '/tasks/{taskId}/comments',
          ]),
        );
        expect(Object.keys(document.components.schemas)).toEqual(
          expect.arrayContaining([
            'Task',
            'TaskPage',
            'Comment',
            'Team',
            'Me',
            'Session',
            'Tokens',
            'NewTask',
            'TaskChange',
          ]),
        );
        expect(document.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
        expect(document.paths['/teams/{teamId}/members'].post.responses).toHaveProperty('403');
        expect(document.paths['/auth/login'].post.security).toEqual([]);
      });

      it('serves the docs page from the installed package, without a CDN', async ({ skip }) => {
        if (!database) return skip();
        const response = await t.request('/docs');
        expect(response.status).toBe(200);
        const page = await response.text();
        expect(page).not.toMatch(/https?:\/\/(cdn|unpkg|jsdelivr)/);
        const asset = page.match(/src="([^"]+\.js)"/)?.[1];
        expect((await t.request(asset as string)).status).toBe(200);
      });
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
      await t.db.close();
      const gone = await t.request('/readyz?verbose');
      expect(gone.status).toBe(503);
      expect((await t.request('/livez')).status).toBe(200);
    });
  });
}
