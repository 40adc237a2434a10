// Idempotent commands on PostgreSQL and PGlite: one run per live key, concurrent duplicates
// included; the stored result answers the others; a failed run stores nothing; keys expire.
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createIdempotency, drizzleRunner } from '../src/drizzle.js';
import { createTransactions, DomainError, err, isDomainError, ok, type Result } from '../src/index.js';
import { checkPostgres, engines, postgresEngine } from './support/engines.js';
import { rowsOf } from './support/outbox-db.js';

async function openStore(engine: (typeof postgresEngine)['open'], options = {}) {
  const db = await engine({ max: 8 });
  const transactions = createTransactions(drizzleRunner(db));
  const idempotency = createIdempotency(transactions, options);
  await idempotency.install();
  await db.execute(sql`create table payments (key text not null)`);
  const payments = async () => rowsOf(await db.execute(sql`select key from payments`)).length;
  /** A command that records a payment (in the ambient transaction) and counts its runs. */
  const pay = (key: string, runs: { count: number }, wait?: Promise<void>) => async () => {
    runs.count++;
    await transactions.db().execute(sql`insert into payments (key) values (${key})`);
    await wait;
    return { paid: key, at: runs.count, when: new Date(0) };
  };
  return { db, transactions, idempotency, payments, pay };
}

for (const engine of await engines()) {
  describe(`idempotency on ${engine.name}`, async () => {
    const store = await openStore(engine.open);
    const { db, idempotency, payments, pay } = store;

    it('runs a command once per key and answers repeats with the stored result', async () => {
      const runs = { count: 0 };
      const first = await idempotency.run('k-once', pay('k-once', runs));
      const second = await idempotency.run('k-once', pay('k-once', runs));
      // Stored as JSON: every caller, the first included, gets the same JSON value.
      expect(first).toEqual({ paid: 'k-once', at: 1, when: '1970-01-01T00:00:00.000Z' });
      expect(second).toEqual(first);
      expect(runs.count).toBe(1);
    });

    it('lets exactly one of several concurrent duplicates run; the others get its result', async () => {
      const runs = { count: 0 };
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const calls = Array.from({ length: 5 }, () => idempotency.run('k-race', pay('k-race', runs, gate)));
      setTimeout(release, 50);
      const results = await Promise.all(calls);
      expect(runs.count).toBe(1);
      for (const result of results) expect(result).toEqual(results[0]);
      expect(rowsOf(await db.execute(sql`select key from payments where key = 'k-race'`))).toHaveLength(1);
    });

    it('stores nothing when the command fails, so a retry runs it again', async () => {
      const before = await payments();
      await expect(
        idempotency.run('k-fail', async () => {
          await store.transactions.db().execute(sql`insert into payments (key) values ('k-fail')`);
          throw new Error('card declined');
        }),
      ).rejects.toThrow('card declined');
      expect(await payments()).toBe(before);
      const runs = { count: 0 };
      expect(await idempotency.run('k-fail', pay('k-fail', runs))).toMatchObject({ paid: 'k-fail' });
      expect(runs.count).toBe(1);
    });

    it('answers a repeat of an expected failure (an err() Result) with the same DomainError', async () => {
      const failure = async () =>
        err(new DomainError('OUT_OF_STOCK', 'SKU 9 is gone.', { details: { sku: '9' } }));
      await idempotency.run('k-err', failure);
      const repeat = await idempotency.run(
        'k-err',
        async (): Promise<Result<string, DomainError>> => ok('should not run'),
      );
      expect(repeat.ok).toBe(false);
      expect(repeat.ok ? undefined : isDomainError(repeat.error)).toBe(true);
      expect(repeat).toMatchObject({
        error: { code: 'OUT_OF_STOCK', message: 'SKU 9 is gone.', details: { sku: '9' } },
      });
    });

    it('keeps undefined and null results apart', async () => {
      expect(await idempotency.run('k-undefined', async () => undefined)).toBeUndefined();
      expect(await idempotency.run('k-undefined', async () => 'other')).toBeUndefined();
      expect(await idempotency.run('k-null', async () => null)).toBeNull();
    });

    it('refuses the same key with another fingerprint (422), and answers the same one', async () => {
      await idempotency.run('k-print', async () => 1, { fingerprint: 'sha256:aaa' });
      expect(await idempotency.run('k-print', async () => 2, { fingerprint: 'sha256:aaa' })).toBe(1);
      await expect(
        idempotency.run('k-print', async () => 2, { fingerprint: 'sha256:bbb' }),
      ).rejects.toMatchObject({
        code: 'ERR_SERVICES_IDEMPOTENCY_KEY_REUSED',
        status: 422,
        expose: true,
      });
    });

    it('runs the command again once its key expired, and purges expired keys', async () => {
      const runs = { count: 0 };
      await idempotency.run('k-expire', pay('k-expire', runs), { ttl: 60_000 });
      await db.execute(
        sql`update plinth_idempotency set expires_at = now() - interval '1 second' where key = 'k-expire'`,
      );
      expect(await idempotency.run('k-expire', pay('k-expire', runs))).toMatchObject({ at: 2 });
      expect(runs.count).toBe(2);
      await db.execute(
        sql`update plinth_idempotency set expires_at = now() - interval '1 second' where key = 'k-expire'`,
      );
      expect(await idempotency.purgeExpired()).toBe(1);
      expect(
        rowsOf(await db.execute(sql`select key from plinth_idempotency where key = 'k-expire'`)),
      ).toEqual([]);
    });

    it('refuses a result that JSON cannot hold, and keeps nothing of that run', async () => {
      await expect(idempotency.run('k-bigint', async () => 1n)).rejects.toMatchObject({
        code: 'ERR_SERVICES_RESULT_NOT_SERIALIZABLE',
      });
      expect(
        rowsOf(await db.execute(sql`select key from plinth_idempotency where key = 'k-bigint'`)),
      ).toEqual([]);
    });

    it('refuses an empty or oversized key with a 400 naming the rule', async () => {
      await expect(idempotency.run('', async () => 1)).rejects.toMatchObject({
        code: 'ERR_SERVICES_INVALID_OPTION',
        status: 400,
      });
      await expect(idempotency.run('x'.repeat(256), async () => 1)).rejects.toThrow(/1–255 characters/);
    });
  });
}

describe.runIf(await checkPostgres())('idempotency waits boundedly (postgres)', () => {
  it('answers a duplicate that waited past waitTimeout with 409 in progress', async () => {
    const { idempotency, pay } = await openStore(postgresEngine.open, { waitTimeout: 100 });
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const runs = { count: 0 };
    const first = idempotency.run('k-slow', pay('k-slow', runs, gate));
    await expect.poll(() => runs.count).toBe(1);
    await expect(idempotency.run('k-slow', pay('k-slow', runs))).rejects.toMatchObject({
      code: 'ERR_SERVICES_IDEMPOTENCY_IN_PROGRESS',
      status: 409,
    });
    release();
    expect(await first).toMatchObject({ paid: 'k-slow' });
    expect(await idempotency.run('k-slow', pay('k-slow', runs))).toMatchObject({ at: 1 });
    expect(runs.count).toBe(1);
  });
});
