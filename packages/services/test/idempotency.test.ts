// createIdempotency passes the contract of idempotent commands on PostgreSQL and PGlite, as
// memoryIdempotency does (src/drivers/memory-idempotency.test.ts): one run per live key,
// concurrent duplicates included, the stored result for the others, nothing kept of a failed run,
// expiry, fingerprints, a bounded wait.
import { sql } from 'drizzle-orm';
import { describe, it } from 'vitest';
import { createIdempotency, drizzleRunner } from '../src/drizzle.js';
import { createTransactions } from '../src/index.js';
import { testIdempotency } from '../src/testing.js';
import { engines, type TestDb } from './support/engines.js';
import { rowsOf } from './support/outbox-db.js';

for (const engine of await engines()) {
  testIdempotency(
    `createIdempotency on ${engine.name}`,
    async () => {
      const db = await engine.open({ max: 8 });
      const transactions = createTransactions(drizzleRunner(db));
      const idempotency = createIdempotency(transactions, { waitTimeout: 100 });
      await idempotency.install();
      await db.execute(sql`create table kv (key text primary key, value text not null)`);
      return {
        idempotency,
        transactions,
        async write(handle: TestDb, key: string, value: string) {
          await handle.execute(
            sql`insert into kv (key, value) values (${key}, ${value}) on conflict (key) do update set value = excluded.value`,
          );
        },
        async read(handle: TestDb, key: string) {
          const [row] = rowsOf<{ value: string }>(
            await handle.execute(sql`select value from kv where key = ${key}`),
          );
          return row?.value;
        },
        async expire(key: string) {
          await db.execute(
            sql`update plinth_idempotency set expires_at = now() - interval '1 second' where key = ${key}`,
          );
        },
      };
    },
    { describe, it },
  );
}
