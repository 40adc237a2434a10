// The drizzle runner: transactions and savepoints of a drizzle PostgreSQL database, postgres.js or
// PGlite flavoured (or node-postgres, Neon...: any PgDatabase). Only drizzle's types are imported.
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import type { TransactionRunner } from '../transaction-runner.js';

// biome-ignore lint/suspicious/noExplicitAny: any drizzle PostgreSQL database, whatever its schema
type AnyPgDatabase = PgDatabase<PgQueryResultHKT, any, any>;

/** What repositories query through: the database itself, or a transaction of it (same methods). */
export type DrizzleHandle<Db extends AnyPgDatabase> =
  Db extends PgDatabase<infer Result, infer FullSchema, infer Schema>
    ? PgDatabase<Result, FullSchema, Schema>
    : never;

/** Options of {@link drizzleRunner}. */
export interface DrizzleRunnerOptions {
  /** Whether two transactions may be open at once; detected (false for PGlite, one session). */
  concurrent?: boolean;
}

/** PGlite is one session: its transactions queue behind each other. */
function isPglite(db: AnyPgDatabase): boolean {
  const client = (db as { $client?: { dumpDataDir?: unknown } }).$client;
  return typeof client?.dumpDataDir === 'function';
}

/**
 * A TransactionRunner over your drizzle database: `db.transaction()` for a new transaction,
 * `tx.transaction()` (a savepoint) for a nested one. We open no connection of our own.
 *
 * @example
 * const db = drizzle(postgres(process.env.DATABASE_URL!)); // or drizzle(new PGlite())
 * const transactions = createTransactions(drizzleRunner(db));
 */
export function drizzleRunner<Db extends AnyPgDatabase>(
  db: Db,
  options: DrizzleRunnerOptions = {},
): TransactionRunner<DrizzleHandle<Db>> {
  const database = db as AnyPgDatabase;
  return {
    name: isPglite(database) ? 'drizzle (PGlite)' : 'drizzle',
    client: db as unknown as DrizzleHandle<Db>,
    concurrent: options.concurrent ?? !isPglite(database),
    // An empty config makes drizzle send a bare `set transaction` (a syntax error on PGlite).
    begin: (fn, config) =>
      database.transaction(
        (tx) => fn(tx as never),
        config?.isolationLevel || config?.accessMode ? config : undefined,
      ),
    // On a PgTransaction, drizzle's transaction() is `savepoint …` / `release` / `rollback to`.
    savepoint: (tx, fn) => (tx as AnyPgDatabase).transaction((inner) => fn(inner as never)),
  };
}
