// Errors a user can act on: a wrong DATABASE_URL, a server that is not there or goes away mid-query,
// a hung server behind a health check — each a typed error naming what to fix, no half-written data.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq, sql } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createDatabase, DbError, migrate } from '../src/index.js';
import { authors } from './fixtures/schema.js';
import { databaseUrl, migrationsFolder, targets } from './support/targets.js';

async function rejection(promise: PromiseLike<unknown>): Promise<DbError> {
  const error = await Promise.resolve(promise).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(DbError);
  return error as DbError;
}

describe('a wrong database URL', () => {
  it.each([
    ['mysql://root@localhost/app', 'scheme "mysql:"'],
    ['postgres:///db', 'no host'],
    ['postgres://[::1/db', 'malformed'],
  ])('refuses %s at creation with ERR_DB_INVALID_URL saying what to write', async (url, reason) => {
    const error = await rejection(createDatabase({ url }));
    expect(error.code).toBe('ERR_DB_INVALID_URL');
    expect(error.message).toContain(reason);
    expect(error.message).toContain('postgres://user:password@host:5432/name');
  });

  it('refuses invalid pool options at creation', async () => {
    expect((await rejection(createDatabase({ url: databaseUrl, max: 0 }))).code).toBe(
      'ERR_DB_INVALID_OPTION',
    );
    expect((await rejection(createDatabase({ url: databaseUrl, connectTimeout: -1 }))).message).toContain(
      'connectTimeout',
    );
  });

  it('answers a query to a port where nothing listens with a 503 ERR_DB_UNAVAILABLE, password hidden', async () => {
    const db = await createDatabase({ url: 'postgres://app:hunter2@127.0.0.1:1/app', connectTimeout: 2000 });
    try {
      const error = await rejection(db.select().from(authors));
      expect(error).toMatchObject({ code: 'ERR_DB_UNAVAILABLE', status: 503, expose: false });
      expect(error.message).toContain('127.0.0.1:1');
      expect(error.message).toContain('DATABASE_URL');
      expect(error.message).not.toContain('hunter2');
      const health = await rejection(db.health({ timeout: 3000 }).run(new AbortController().signal));
      expect(health.code).toBe('ERR_DB_UNAVAILABLE');
    } finally {
      await db.close({ timeout: 100 });
    }
  });
});

const postgresTarget = (await targets()).find((target) => target.name === 'postgres');

describe.runIf(postgresTarget !== undefined)('PostgreSQL going wrong', () => {
  const admin = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  afterAll(() => admin.end({ timeout: 1 }));

  it('names a database that does not exist', async () => {
    const url = new URL(databaseUrl);
    url.pathname = '/plinth_db_no_such_database';
    const db = await createDatabase({ url: url.href });
    try {
      const error = await rejection(db.execute(sql`select 1`));
      expect(error.code).toBe('ERR_DB_UNAVAILABLE');
      expect(error.message).toContain('does not exist');
    } finally {
      await db.close();
    }
  });

  it('answers a query whose connection is killed with ERR_DB_UNAVAILABLE, rolls its transaction back, and recovers', async () => {
    const applicationName = `plinth-db-kill-${process.pid}`;
    const db = await postgresTarget!.open({ applicationName, max: 2 });
    await migrate(db, { folder: migrationsFolder });
    const transaction = db
      .transaction(async (tx) => {
        await tx.insert(authors).values({ email: 'half@example.com', name: 'Half' });
        await tx.execute(sql`select pg_sleep(10)`);
      })
      .then(
        () => undefined,
        (caught: unknown) => caught,
      );
    // Wait until the transaction sleeps, then end its backend as a failover or restart would.
    for (let tries = 0; tries < 100; tries++) {
      const [found] =
        await admin`select count(*)::int as n from pg_stat_activity where application_name = ${applicationName} and query like '%pg_sleep%'`;
      if (found!.n > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await admin`select pg_terminate_backend(pid) from pg_stat_activity where application_name = ${applicationName} and query like '%pg_sleep%'`;
    const error = (await transaction) as DbError;
    expect(error).toBeInstanceOf(DbError);
    expect(error).toMatchObject({ code: 'ERR_DB_UNAVAILABLE', status: 503 });
    expect(error.message).toContain('rolled back');
    // Nothing half-written: the insert before the kill is gone (seen from the same pool, which
    // recovers: at most one more query may still meet the closing connection).
    const read = () => db.select().from(authors).where(eq(authors.email, 'half@example.com'));
    const rows = await read().catch(read);
    expect(rows).toEqual([]);
    expect(await db.execute(sql`select 1 as ok`)).toEqual([{ ok: 1 }]);
  });

  it('reports a hung database as ERR_DB_HEALTH_TIMEOUT after the timeout', async () => {
    const db = await postgresTarget!.open({ max: 1 });
    const busy = db.execute(sql`select pg_sleep(1)`).then(() => undefined);
    const error = await rejection(db.ping({ timeout: 100 }));
    expect(error).toMatchObject({ code: 'ERR_DB_HEALTH_TIMEOUT', status: 503 });
    expect(error.message).toContain('100 ms');
    await busy;
  });

  it('sends the application name, and uses no named prepared statements with prepare: false', async () => {
    const prepared = await postgresTarget!.open({ max: 1, applicationName: 'plinth-db-prepared' });
    const unprepared = await postgresTarget!.open({ max: 1, prepare: false });
    await migrate(prepared, { folder: migrationsFolder });
    await migrate(unprepared, { folder: migrationsFolder });
    const count = async (db: typeof prepared) => {
      const byEmail = db
        .select()
        .from(authors)
        .where(eq(authors.email, sql.placeholder('email')))
        .prepare('author_by_email');
      await byEmail.execute({ email: 'x@example.com' });
      const rows = (await db.execute(
        sql`select count(*)::int as n, current_setting('application_name') as app from pg_prepared_statements`,
      )) as unknown as Array<{ n: number; app: string }>;
      return rows[0]!;
    };
    const withPrepare = await count(prepared);
    expect(withPrepare.app).toBe('plinth-db-prepared');
    expect(withPrepare.n).toBeGreaterThan(0);
    expect((await count(unprepared)).n).toBe(0);
  });
});

describe('PGlite in a directory', () => {
  const dir = mkdtempSync(join(tmpdir(), 'plinth-db-dir-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps its rows across close and reopen', async () => {
    // The first open starts from the dumped data directory, as the other PGlite tests do: an
    // initdb in WASM took over the 60 s test timeout on a busy machine.
    const dump = new Blob([readFileSync(inject('pgliteDump'))]);
    const first = await createDatabase({ url: dir, pglite: { loadDataDir: dump } });
    expect(first.driver).toBe('pglite');
    await migrate(first, { folder: migrationsFolder });
    await first.insert(authors).values({ email: 'kept@example.com', name: 'Kept' });
    await first.close();
    const second = await createDatabase({ url: `file://${dir}` });
    try {
      expect(await second.select({ email: authors.email }).from(authors)).toEqual([
        { email: 'kept@example.com' },
      ]);
      expect(await migrate(second, { folder: migrationsFolder })).toEqual({ applied: [] });
    } finally {
      await second.close();
    }
  });
});
