// Contract: what createDatabase adds to drizzle — health check, draining close, query log, statement
// timeout, typed errors — the same on PostgreSQL and PGlite.
import { eq, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { DbError, migrate } from '../src/index.js';
import { authors } from './fixtures/schema.js';
import { recordingLogger } from './support/recording-logger.js';
import { migrationsFolder, type Target, type TestDatabase, targets } from './support/targets.js';

const rowsOf = (result: unknown) =>
  (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as Array<Record<string, unknown>>;

describe.each(await targets())('createDatabase on $name', (target: Target) => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await target.open();
    await migrate(db, { folder: migrationsFolder });
  });

  it('is a drizzle database of the given schema, on the engine its URL names', async () => {
    expect(db.driver).toBe(target.name);
    const [author] = await db.insert(authors).values({ email: 'db@example.com', name: 'Db' }).returning();
    expect(await db.query.authors.findFirst({ where: eq(authors.id, author!.id) })).toEqual(author);
  });

  it('offers a health check in the shape of @plinth/deploy checks that passes', async () => {
    const check = db.health({ timeout: 5000 });
    expect(check).toMatchObject({
      name: target.name,
      componentType: 'datastore',
      timeout: 5000,
      critical: true,
    });
    await expect(check.run(new AbortController().signal)).resolves.toBeUndefined();
    await expect(db.ping()).resolves.toBeUndefined();
  });

  it('fails the health check at once when its signal is already aborted', async () => {
    const error = await db
      .health()
      .run(AbortSignal.abort(new Error('probe gone')))
      .catch((caught: unknown) => caught);
    expect((error as Error).message).toBe('probe gone');
  });

  it('logs each query with its statement name and duration, never its parameters by default', async () => {
    const logger = recordingLogger();
    const logged = await target.open({ logger });
    await migrate(logged, { folder: migrationsFolder });
    await logged.insert(authors).values({ email: 'secret-value@example.com', name: 'Hidden' });
    const byId = logged
      .select()
      .from(authors)
      .where(eq(authors.id, sql.placeholder('id')))
      .prepare('author_by_id');
    await byId.execute({ id: 1 });
    const lines = logger.lines.filter((line) => line.message === 'query');
    expect(lines.map((line) => line.object.statement)).toEqual(['insert authors', 'author_by_id']);
    for (const line of lines) {
      expect(line.level).toBe('debug');
      expect(typeof line.object.durationMs).toBe('number');
      expect(line.object.sql).toMatch(/authors/);
      expect(line.object).not.toHaveProperty('params');
    }
    expect(JSON.stringify(logger.lines)).not.toContain('secret-value');
  });

  it('logs parameters when asked, failed queries at warn with their SQLSTATE, slow ones at warn', async () => {
    const logger = recordingLogger();
    const logged = await target.open({
      logger,
      queryLog: { parameters: true, level: 'info', slowQueryMs: 60_000 },
    });
    await migrate(logged, { folder: migrationsFolder });
    await logged.insert(authors).values({ email: 'twice@example.com', name: 'Twice' });
    await logged
      .insert(authors)
      .values({ email: 'twice@example.com', name: 'Twice' })
      .catch(() => {});
    const [ok, failed] = logger.lines.filter((line) => String(line.object.sql).startsWith('insert'));
    expect(ok).toMatchObject({
      level: 'info',
      message: 'query',
      object: { params: ['twice@example.com', 'Twice'] },
    });
    expect(failed).toMatchObject({ level: 'warn', message: 'query failed', object: { errorCode: '23505' } });
    const slowLogger = recordingLogger();
    const slow = await target.open({ logger: slowLogger, queryLog: { slowQueryMs: 0 } });
    await slow.execute(sql`select 1`);
    expect(slowLogger.lines).toMatchObject([
      { level: 'warn', message: 'slow query', object: { statement: 'select' } },
    ]);
  });

  // PGlite runs statements in this thread and cannot interrupt one: statement_timeout does not apply.
  it.skipIf(target.name === 'pglite')('applies statementTimeout to every statement', async () => {
    const timed = await target.open({ statementTimeout: 100 });
    const error = await timed.execute(sql`select pg_sleep(2)`).catch((caught: unknown) => caught);
    expect(error).toBeDefined();
    const { sqlStateOf } = await import('../src/index.js');
    expect(sqlStateOf(error)).toBe('57014');
  });

  it('drains on close(): running queries finish, new ones fail with ERR_DB_CLOSED', async () => {
    const closing = await target.open();
    // drizzle queries are lazy: `.then` sends it now.
    const running = closing.execute(sql`select pg_sleep(0.3), 42 as answer`).then(rowsOf);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const closed = closing.close();
    const late = await closing.execute(sql`select 1`).catch((caught: unknown) => caught);
    expect(late).toBeInstanceOf(DbError);
    expect(late).toMatchObject({ code: 'ERR_DB_CLOSED' });
    expect((await running)[0]).toMatchObject({ answer: 42 });
    await closed;
    await expect(closing.ping()).rejects.toMatchObject({ code: 'ERR_DB_CLOSED' });
    await closing[Symbol.asyncDispose]();
  });

  it('lets a running transaction commit before close() closes the connections', async () => {
    const closing = await target.open();
    await migrate(closing, { folder: migrationsFolder });
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const committed = closing.transaction(async (tx) => {
      await tx.insert(authors).values({ email: 'draining@example.com', name: 'Draining' });
      await gate;
      await tx.insert(authors).values({ email: 'drained@example.com', name: 'Drained' });
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const closed = closing.close({ timeout: 30_000 });
    await expect(closing.transaction(async () => {})).rejects.toMatchObject({ code: 'ERR_DB_CLOSED' });
    release();
    // Its statements after close() began still ran, and COMMIT succeeded.
    await expect(committed).resolves.toBeUndefined();
    await closed;
  });
});
