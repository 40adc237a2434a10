// Contract: runTransaction retries serialization failures and deadlocks with backoff, gives up
// after maxAttempts, never retries other errors, and nests as savepoints — on both engines; on
// PostgreSQL also with real write skew and a real deadlock between two connections.
import { eq, sql } from 'drizzle-orm';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DbError, migrate, runTransaction } from '../src/index.js';
import { accounts, authors } from './fixtures/schema.js';
import { migrationsFolder, type TestDatabase, targets } from './support/targets.js';

const raise = (state: string) =>
  sql.raw(`do $$ begin raise exception 'simulated' using errcode = '${state}'; end $$`);

describe.each(await targets())('runTransaction on $name', (target) => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await target.open();
    await migrate(db, { folder: migrationsFolder });
  });

  beforeEach(async () => {
    await db.delete(accounts);
    await db.insert(accounts).values([
      { id: 1, balance: 100 },
      { id: 2, balance: 100 },
    ]);
  });

  const balances = async () =>
    (await db.select().from(accounts).orderBy(accounts.id)).map((account) => account.balance);

  for (const [state, what] of [
    ['40001', 'serialization failure'],
    ['40P01', 'deadlock'],
  ] as const) {
    it(`runs the transaction again after a ${what} (${state}), the failed attempt rolled back`, async () => {
      let attempts = 0;
      const retries: string[] = [];
      const result = await runTransaction(
        db,
        async (tx) => {
          attempts++;
          await tx
            .update(accounts)
            .set({ balance: sql`${accounts.balance} - 10` })
            .where(eq(accounts.id, 1));
          if (attempts === 1) await tx.execute(raise(state));
          return 'done';
        },
        { onRetry: (info) => retries.push(info.sqlState), baseDelay: 1 },
      );
      expect(result).toBe('done');
      expect(attempts).toBe(2);
      expect(retries).toEqual([state]);
      expect(await balances()).toEqual([90, 100]);
    });
  }

  it('gives up after maxAttempts with ERR_DB_TRANSACTION_RETRIES, nothing written', async () => {
    let attempts = 0;
    const error = await runTransaction(
      db,
      async (tx) => {
        attempts++;
        await tx.update(accounts).set({ balance: 0 }).where(eq(accounts.id, 1));
        await tx.execute(raise('40001'));
      },
      { maxAttempts: 3, baseDelay: 1 },
    ).catch((caught: unknown) => caught);
    expect(attempts).toBe(3);
    expect(error).toBeInstanceOf(DbError);
    expect(error).toMatchObject({ code: 'ERR_DB_TRANSACTION_RETRIES', status: 503, expose: false });
    expect(await balances()).toEqual([100, 100]);
  });

  it('waits a bounded, jittered backoff between attempts', async () => {
    const delays: number[] = [];
    await runTransaction(
      db,
      async (tx) => {
        if (delays.length < 4) await tx.execute(raise('40001'));
      },
      { maxAttempts: 5, baseDelay: 8, maxDelay: 20, onRetry: ({ delay }) => delays.push(delay) },
    );
    expect(delays).toHaveLength(4);
    delays.forEach((delay, retry) => {
      expect(delay).toBeGreaterThanOrEqual(0);
      expect(delay).toBeLessThanOrEqual(Math.min(20, 8 * 2 ** retry));
    });
  });

  it('does not retry other errors', async () => {
    let attempts = 0;
    const error = await runTransaction(db, async (tx) => {
      attempts++;
      await tx.insert(accounts).values({ id: 1, balance: 5 });
    }).catch((caught: unknown) => caught);
    expect(attempts).toBe(1);
    expect(error).toMatchObject({ code: 'UNIQUE_VIOLATION' });
  });

  it('stops retrying when its signal aborts', async () => {
    const controller = new AbortController();
    let attempts = 0;
    const error = await runTransaction(
      db,
      async (tx) => {
        attempts++;
        controller.abort(new Error('shutting down'));
        await tx.execute(raise('40001'));
      },
      { signal: controller.signal },
    ).catch((caught: unknown) => caught);
    expect(attempts).toBe(1);
    expect((error as Error).message).toBe('shutting down');
  });

  it('nests as a savepoint: an inner failure rolls back only the inner work', async () => {
    await runTransaction(db, async (tx) => {
      await tx.update(accounts).set({ balance: 50 }).where(eq(accounts.id, 1));
      const inner = await runTransaction(tx, async (savepoint) => {
        await savepoint.update(accounts).set({ balance: 0 }).where(eq(accounts.id, 2));
        throw new Error('inner failed');
      }).catch((caught: unknown) => caught);
      expect((inner as Error).message).toBe('inner failed');
    });
    expect(await balances()).toEqual([50, 100]);
  });

  it('nests savepoints two deep, committing what succeeded', async () => {
    await db.transaction(async (tx) => {
      await tx.insert(authors).values({ email: 'outer@example.com', name: 'Outer' });
      await tx.transaction(async (middle) => {
        await middle.insert(authors).values({ email: 'middle@example.com', name: 'Middle' });
        await middle
          .transaction(async (inner) => {
            await inner.insert(authors).values({ email: 'inner@example.com', name: 'Inner' });
            inner.rollback();
          })
          .catch(() => {});
      });
    });
    const emails = (await db.select().from(authors)).map((author) => author.email).sort();
    expect(emails).toEqual(['middle@example.com', 'outer@example.com']);
  });
});

const postgresTarget = (await targets()).find((target) => target.name === 'postgres');

describe.runIf(postgresTarget !== undefined)('runTransaction under real contention on postgres', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await postgresTarget!.open({ max: 4 });
    await migrate(db, { folder: migrationsFolder });
  });

  /** Resolves when `count` callers have arrived. */
  function barrier(count: number) {
    let arrived = 0;
    let release!: () => void;
    const all = new Promise<void>((resolve) => {
      release = resolve;
    });
    return () => {
      arrived++;
      if (arrived === count) release();
      return all;
    };
  }

  it('retries the loser of a write skew under serializable isolation until both commit', async () => {
    await db.delete(accounts);
    await db.insert(accounts).values([
      { id: 1, balance: 100 },
      { id: 2, balance: 100 },
    ]);
    const bothRead = barrier(2);
    const retried: string[] = [];
    // Each moves money out of one account if the total allows it: serializable forbids both at once.
    const withdraw = (id: number) =>
      runTransaction(
        db,
        async (tx) => {
          const rows = await tx.select().from(accounts);
          const total = rows.reduce((sum, row) => sum + row.balance, 0);
          if (retried.length === 0) await bothRead();
          if (total >= 150) {
            await tx
              .update(accounts)
              .set({ balance: sql`${accounts.balance} - 150` })
              .where(eq(accounts.id, id));
          }
        },
        { isolationLevel: 'serializable', onRetry: ({ sqlState }) => retried.push(sqlState), baseDelay: 5 },
      );
    await Promise.all([withdraw(1), withdraw(2)]);
    expect(retried).toEqual(['40001']);
    const rows = await db.select().from(accounts).orderBy(accounts.id);
    expect(rows.reduce((sum, row) => sum + row.balance, 0)).toBe(50);
  });

  it('retries the victim of a real deadlock until both commit', async () => {
    await db.delete(accounts);
    await db.insert(accounts).values([
      { id: 1, balance: 0 },
      { id: 2, balance: 0 },
    ]);
    const bothLocked = barrier(2);
    const retried: string[] = [];
    const transfer = (first: number, second: number) =>
      runTransaction(
        db,
        async (tx) => {
          await tx
            .update(accounts)
            .set({ balance: sql`${accounts.balance} + 1` })
            .where(eq(accounts.id, first));
          if (retried.length === 0) await bothLocked();
          await tx
            .update(accounts)
            .set({ balance: sql`${accounts.balance} + 1` })
            .where(eq(accounts.id, second));
        },
        { onRetry: ({ sqlState }) => retried.push(sqlState), baseDelay: 5 },
      );
    await Promise.all([transfer(1, 2), transfer(2, 1)]);
    expect(retried).toEqual(['40P01']);
    expect((await db.select().from(accounts).orderBy(accounts.id)).map((row) => row.balance)).toEqual([2, 2]);
  });
});
