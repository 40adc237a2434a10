// Hooks into a drizzle database's sessions, for both drivers and inside transactions and
// savepoints: each query is timed and logged, its driver error becomes a typed error, prepared
// statements stay off when asked, and in-flight work is counted so close() can drain it.
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { DbError } from './errors.js';

/** What the database does around each query. */
export interface QueryHooks {
  /** False forces postgres.js' unnamed statements, even for drizzle's `.prepare(name)`. */
  prepare: boolean;
  /**
   * Counts one unit of in-flight work, returning its end. Throws when the database is closed, except
   * for work inside a transaction that began before: close() lets it finish.
   */
  enter(inTransaction: boolean): () => void;
  /** The typed error for a driver error. */
  translate(error: unknown): unknown;
  /** Called after each query, or undefined when nothing is logged. */
  onQuery:
    | ((
        sql: string,
        params: readonly unknown[],
        name: string | undefined,
        ms: number,
        error?: unknown,
      ) => void)
    | undefined;
}

// The internals we hook: stable across drizzle 0.3x–0.45 (PgSession.prepareQuery, .transaction;
// PgPreparedQuery.queryWithCache, through which every execution of both drivers runs).
interface PreparedQuery {
  prepare?: boolean;
  queryWithCache(sql: string, params: unknown[], run: () => Promise<unknown>): Promise<unknown>;
}
interface Session {
  prepareQuery(
    query: { sql: string; params: unknown[] },
    fields: unknown,
    name: string | undefined,
    ...rest: unknown[]
  ): PreparedQuery;
  transaction(fn: (tx: Transaction) => Promise<unknown>, config?: unknown): Promise<unknown>;
}
interface Transaction {
  session: Session;
  transaction(fn: (tx: Transaction) => Promise<unknown>): Promise<unknown>;
}

const hooked = new WeakSet<object>();

/** Installs `hooks` on `db` and on every transaction and savepoint opened from it. */
export function instrument(
  db: PgDatabase<PgQueryResultHKT, Record<string, unknown>>,
  hooks: QueryHooks,
): void {
  hookSession((db as unknown as { session: Session }).session, hooks, false);
}

function hookSession(session: Session, hooks: QueryHooks, inTransaction: boolean): void {
  if (hooked.has(session)) return;
  hooked.add(session);
  const prepareQuery = session.prepareQuery;
  // One wrapper per session, not per query: drizzle prepares a new query object for every execution
  // of a builder, so per-query closures would be allocated on the hot path (bench: select by key).
  const queryWithCache = timedQuery(hooks, inTransaction);
  session.prepareQuery = function (query, fields, name, ...rest) {
    const prepared = prepareQuery.call(this, query, fields, name, ...rest) as PreparedQuery & Hooked;
    if (!hooks.prepare && prepared.prepare === true) prepared.prepare = false;
    prepared[original] ??= prepared.queryWithCache;
    prepared[statement] = name;
    prepared.queryWithCache = queryWithCache;
    return prepared;
  };
  const transaction = session.transaction;
  session.transaction = function (fn, config) {
    let leave: () => void;
    try {
      leave = hooks.enter(false);
    } catch (error) {
      return Promise.reject(error);
    }
    return transaction
      .call(
        this,
        (tx) => {
          hookTransaction(tx, hooks);
          return fn(tx);
        },
        config,
      )
      .catch((error: unknown) => {
        throw hooks.translate(error);
      })
      .finally(leave);
  };
}

function hookTransaction(tx: Transaction, hooks: QueryHooks): void {
  hookSession(tx.session, hooks, true);
  if (hooked.has(tx)) return;
  hooked.add(tx);
  const savepoint = tx.transaction;
  tx.transaction = function (fn) {
    return savepoint.call(this, (inner) => {
      hookTransaction(inner, hooks);
      return fn(inner);
    });
  };
}

const original = Symbol('queryWithCache');
const statement = Symbol('statement');
interface Hooked {
  [original]?: PreparedQuery['queryWithCache'];
  [statement]?: string | undefined;
}

/** drizzle's queryWithCache, timed, logged, counted as in flight, its error made typed. */
function timedQuery(hooks: QueryHooks, inTransaction: boolean): PreparedQuery['queryWithCache'] {
  return async function (this: PreparedQuery & Hooked, sql, params, run) {
    const leave = hooks.enter(inTransaction);
    const started = hooks.onQuery ? performance.now() : 0;
    try {
      const result = await this[original]!.call(this, sql, params, run);
      hooks.onQuery?.(sql, params, this[statement], performance.now() - started);
      return result;
    } catch (error) {
      hooks.onQuery?.(sql, params, this[statement], performance.now() - started, error);
      // drizzle wraps the driver's error (with the parameters in its message): unwrap it.
      throw hooks.translate(error);
    } finally {
      leave();
    }
  };
}

/** The error a closed database throws for any new query or transaction. */
export function closedError(): DbError {
  return new DbError(
    'ERR_DB_CLOSED',
    'The database is closed (close() was called); open a new one with createDatabase(), or close it only at shutdown.',
  );
}
