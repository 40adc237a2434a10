// The PostgreSQL driver prepares its statements (one round trip and no planning per call once
// prepared), unless the client was made with `prepare: false`, as PgBouncer in transaction mode needs.
import postgres, { type Sql } from 'postgres';
import { afterAll, describe, expect, it } from 'vitest';
import { createQueue, createWorker, defineJob } from '../src/index.js';
import { postgresDriver } from '../src/postgres.js';
import { databaseUrl, postgresUp, testSchema } from './support/servers.js';

const echo = defineJob({ name: 'echo', handler: (payload: { n: number }) => payload });

/** Enqueues and completes a few jobs through a one-connection client; returns that connection's prepared statements. */
async function preparedAfterWork(sql: Sql, schema: string): Promise<string[]> {
  const queue = createQueue({ driver: postgresDriver({ sql, schema }), name: 'prepared', jobs: [echo] });
  await queue.enqueueMany(Array.from({ length: 5 }, (_, n) => ({ job: echo, payload: { n } })));
  const worker = createWorker(queue, { concurrency: 2 });
  await new Promise<void>((resolve) => {
    let seen = 0;
    worker.on('completed', () => ++seen === 5 && resolve());
  });
  await worker.close();
  const rows = await sql.unsafe('SELECT statement FROM pg_prepared_statements');
  return rows.map((row) => row.statement as string);
}

describe.skipIf(!postgresUp)('PostgreSQL driver: prepared statements', () => {
  const schema = testSchema('prepared');
  const clients: Sql[] = [];
  const client = (options: { prepare?: boolean } = {}) => {
    // One connection, so pg_prepared_statements shows the driver's own statements.
    const sql = postgres(databaseUrl, { max: 1, onnotice: () => undefined, ...options });
    clients.push(sql);
    return sql;
  };
  afterAll(async () => {
    await clients[0]?.unsafe(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await Promise.all(clients.map((sql) => sql.end()));
  });

  it('prepares the enqueue and claim statements on the connection', async () => {
    const statements = await preparedAfterWork(client(), `${schema}_a`);
    await clients[0]!.unsafe(`DROP SCHEMA IF EXISTS "${schema}_a" CASCADE`);
    expect(statements.some((text) => text.includes('INSERT INTO') && text.includes('.jobs'))).toBe(true);
    expect(statements.some((text) => text.includes('FOR UPDATE SKIP LOCKED'))).toBe(true);
  });

  it('prepares nothing when the client was made with prepare: false', async () => {
    const sql = client({ prepare: false });
    const statements = await preparedAfterWork(sql, `${schema}_b`);
    await sql.unsafe(`DROP SCHEMA IF EXISTS "${schema}_b" CASCADE`);
    expect(statements).toEqual([]);
  });
});
