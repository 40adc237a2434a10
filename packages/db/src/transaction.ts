// A transaction that is retried when PostgreSQL aborts it for a serialization failure (40001) or a
// deadlock (40P01) — the errors whose cure is "run it again" — with bounded, jittered backoff.
// Nested calls become savepoints of the enclosing transaction and are never retried on their own.
import { is } from 'drizzle-orm';
import { PgTransaction } from 'drizzle-orm/pg-core';
import { DbError } from './errors.js';
import { sqlStateOf } from './sql-state.js';

/** Options of {@link runTransaction}. Durations are in milliseconds. */
export interface TransactionOptions {
  isolationLevel?: 'read uncommitted' | 'read committed' | 'repeatable read' | 'serializable';
  accessMode?: 'read only' | 'read write';
  /** Attempts in all, the first included. Default 5. */
  maxAttempts?: number;
  /** The first retry waits up to this long; each next one up to twice as long. Default 10. */
  baseDelay?: number;
  /** No wait is longer than this. Default 500. */
  maxDelay?: number;
  /** Aborting stops the retries (the running attempt finishes or fails on its own). */
  signal?: AbortSignal;
  /** Called before each retry, e.g. to count them. */
  onRetry?: (info: { attempt: number; sqlState: string; delay: number }) => void;
}

/** The part of a drizzle database (or transaction) this helper calls. */
interface TransactionCapable<Tx> {
  transaction<T>(
    fn: (tx: Tx) => Promise<T>,
    config?: {
      isolationLevel?: TransactionOptions['isolationLevel'];
      accessMode?: TransactionOptions['accessMode'];
    },
  ): Promise<T>;
}

const retryable = new Set(['40001', '40P01']);

/** Full jitter (AWS architecture blog): uniform in [0, min(maxDelay, baseDelay · 2^retry)]. */
function backoff(retry: number, baseDelay: number, maxDelay: number): number {
  return Math.floor(Math.random() * Math.min(maxDelay, baseDelay * 2 ** retry));
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function validate(options: TransactionOptions): void {
  const { maxAttempts = 5, baseDelay = 10, maxDelay = 500 } = options;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) {
    throw new DbError('ERR_DB_INVALID_OPTION', `maxAttempts must be a whole number ≥ 1, got ${maxAttempts}.`);
  }
  for (const [name, value] of [
    ['baseDelay', baseDelay],
    ['maxDelay', maxDelay],
  ] as const) {
    if (!Number.isFinite(value) || value < 0) {
      throw new DbError(
        'ERR_DB_INVALID_OPTION',
        `${name} must be a number of milliseconds ≥ 0, got ${value}.`,
      );
    }
  }
}

/**
 * Runs `fn` in a transaction and commits it; when PostgreSQL aborts it with a serialization failure
 * (40001) or a deadlock (40P01), rolls back, waits a jittered backoff and runs `fn` again, at most
 * `maxAttempts` times. `fn` must have no side effects outside the database (it may run more than
 * once). Inside a transaction, `runTransaction(tx, fn)` opens a savepoint instead and is not retried:
 * the whole outer transaction is what must run again.
 *
 * @example
 * await runTransaction(db, async (tx) => {
 *   const [from] = await tx.select().from(accounts).where(eq(accounts.id, 1));
 *   await tx.update(accounts).set({ balance: from.balance - 10 }).where(eq(accounts.id, 1));
 * }, { isolationLevel: 'serializable' });
 */
export async function runTransaction<Tx, T>(
  db: TransactionCapable<Tx>,
  fn: (tx: Tx) => Promise<T>,
  options: TransactionOptions = {},
): Promise<T> {
  validate(options);
  if (is(db, PgTransaction)) return db.transaction(fn);
  const { maxAttempts = 5, baseDelay = 10, maxDelay = 500, signal } = options;
  const config: {
    isolationLevel?: TransactionOptions['isolationLevel'];
    accessMode?: TransactionOptions['accessMode'];
  } = {};
  if (options.isolationLevel) config.isolationLevel = options.isolationLevel;
  if (options.accessMode) config.accessMode = options.accessMode;
  for (let attempt = 1; ; attempt++) {
    try {
      // An empty config would make drizzle send a bare `set transaction`.
      return await db.transaction(fn, Object.keys(config).length > 0 ? config : undefined);
    } catch (error) {
      const sqlState = sqlStateOf(error);
      if (sqlState === undefined || !retryable.has(sqlState)) throw error;
      if (attempt >= maxAttempts) {
        throw new DbError(
          'ERR_DB_TRANSACTION_RETRIES',
          `The transaction failed ${attempt} times in a row (${sqlState === '40001' ? 'serialization failure' : 'deadlock'}, SQLSTATE ${sqlState}); reduce contention on the rows it touches, or raise maxAttempts.`,
          { status: 503, cause: error },
        );
      }
      const delay = backoff(attempt - 1, baseDelay, maxDelay);
      options.onRetry?.({ attempt, sqlState, delay });
      await sleep(delay, signal);
    }
  }
}
