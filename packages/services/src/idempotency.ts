// Idempotent commands: the first call with a key runs the command and stores its result in the
// same transaction; every later call with that key (until it expires) gets the stored result. A
// concurrent duplicate blocks on the first call's uncommitted key row, so exactly one runs and
// the others wait, then read what it stored — or run themselves if it rolled back.
import { sql } from 'drizzle-orm';
import { assertNumber, ServicesError } from './errors.js';
import { type Idempotency, type IdempotencyOptions, validateIdempotencyKey } from './idempotency-key.js';
import { queryRows, quoteTable, type SqlExecutor, sqlStateOf, tableIdentifier } from './sql-statement.js';
import { parseResult, serializeResult } from './stored-result.js';
import type { Transactions } from './transactions.js';

/** The DDL of the key table, to copy into a migration. */
export function idempotencyTableSql(options: Pick<IdempotencyOptions, 'table'> = {}): string {
  const table = quoteTable('table', options.table ?? 'plinth_idempotency');
  return [
    `create table if not exists ${table} (`,
    '  key text primary key,',
    '  fingerprint text,',
    '  result jsonb,',
    '  created_at timestamptz not null default now(),',
    '  expires_at timestamptz not null',
    ');',
  ].join('\n');
}

/**
 * Idempotent commands through `transactions`: each `run` is one transaction holding the key row,
 * the command's own writes and its result, so they commit together or not at all. Results are
 * stored as JSON, and every caller (the first one included) gets the JSON value back; a DomainError
 * in it (an `err(...)` Result) comes back as a DomainError with its code, message and details.
 *
 * @example
 * const idempotency = createIdempotency(transactions, { ttl: 86_400_000 });
 * const order = await idempotency.run(request.headers['idempotency-key'], () => placeOrder(input));
 */
export function createIdempotency<Handle extends SqlExecutor>(
  transactions: Transactions<Handle>,
  options: IdempotencyOptions = {},
): Idempotency {
  const { ttl = 86_400_000, waitTimeout = 10_000 } = options;
  assertNumber('ttl', ttl, 1);
  assertNumber('waitTimeout', waitTimeout, 1);
  const table = tableIdentifier('table', options.table ?? 'plinth_idempotency');
  const ddl = idempotencyTableSql(options);

  /** Inserts the key row, or takes over an expired one; false when a live one exists (after waiting for it). */
  async function claim(db: SqlExecutor, key: string, fingerprint: string | null, keyTtl: number) {
    const [setting] = await queryRows<{ previous: string }>(
      db,
      sql`select current_setting('lock_timeout') as previous, set_config('lock_timeout', ${`${Math.ceil(waitTimeout)}ms`}, true)`,
    );
    let rows: unknown[];
    try {
      rows = await queryRows(
        db,
        sql`insert into ${table} as t (key, fingerprint, expires_at)
            values (${key}, ${fingerprint}, now() + ${keyTtl} * interval '1 millisecond')
            on conflict (key) do update
              set fingerprint = excluded.fingerprint, result = null, created_at = now(), expires_at = excluded.expires_at
              where t.expires_at <= now()
            returning 1 as claimed`,
      );
    } catch (error) {
      // The transaction is aborted now: no reset of lock_timeout, the rollback ends it.
      if (sqlStateOf(error) !== '55P03') throw error;
      throw new ServicesError(
        'ERR_SERVICES_IDEMPOTENCY_IN_PROGRESS',
        `A request with idempotency key "${key}" is still being processed; retry it later.`,
        { status: 409, cause: error },
      );
    }
    // The command runs under the lock_timeout the transaction had before.
    await db.execute(sql`select set_config('lock_timeout', ${setting?.previous ?? '0'}, true)`);
    return rows.length === 1;
  }

  async function stored(db: SqlExecutor, key: string, fingerprint: string | null) {
    const [row] = await queryRows<{ fingerprint: string | null; result: unknown }>(
      db,
      sql`select fingerprint, result from ${table} where key = ${key}`,
    );
    if (fingerprint !== null && row?.fingerprint !== fingerprint) {
      throw new ServicesError(
        'ERR_SERVICES_IDEMPOTENCY_KEY_REUSED',
        `The idempotency key "${key}" was already used for a different request; send a new key for a new request.`,
        { status: 422 },
      );
    }
    return parseResult(row?.result);
  }

  return {
    async run(key, command, runOptions = {}) {
      validateIdempotencyKey(key);
      const keyTtl = runOptions.ttl ?? ttl;
      assertNumber('ttl', keyTtl, 1);
      const fingerprint = runOptions.fingerprint ?? null;
      return transactions.transactional(async () => {
        const db = transactions.db();
        if (!(await claim(db, key, fingerprint, keyTtl))) return stored(db, key, fingerprint) as never;
        const json = serializeResult(key, await command());
        await db.execute(sql`update ${table} set result = ${json}::jsonb where key = ${key}`);
        return parseResult(json) as never;
      });
    },
    async purgeExpired() {
      const rows = await queryRows(
        transactions.runner.client,
        sql`delete from ${table} where expires_at <= now() returning key`,
      );
      return rows.length;
    },
    async install() {
      await transactions.runner.client.execute(sql.raw(ddl));
    },
  };
}
