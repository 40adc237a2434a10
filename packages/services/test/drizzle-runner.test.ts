// The drizzle runner passes the one TransactionRunner contract on PostgreSQL (postgres.js) and on
// PGlite, as the memory runner does (src/drivers/memory.test.ts).
import { sql } from 'drizzle-orm';
import { describe, it } from 'vitest';
import { drizzleRunner } from '../src/drizzle.js';
import { testTransactionRunner } from '../src/testing.js';
import { engines, type TestDb } from './support/engines.js';

async function fixture(db: TestDb) {
  await db.execute(sql`create table kv (key text primary key, value text not null)`);
  const rows = (result: unknown) => (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows);
  return {
    runner: drizzleRunner(db),
    async write(handle: TestDb, key: string, value: string) {
      await handle.execute(
        sql`insert into kv (key, value) values (${key}, ${value}) on conflict (key) do update set value = excluded.value`,
      );
    },
    async read(handle: TestDb, key: string) {
      const [row] = rows(await handle.execute(sql`select value from kv where key = ${key}`)) as {
        value: string;
      }[];
      return row?.value;
    },
  };
}

for (const engine of await engines()) {
  testTransactionRunner(`drizzle on ${engine.name}`, async () => fixture(await engine.open()), {
    describe,
    it,
  });
}
