// The seam under ambient transactions: how to open a transaction and a savepoint on one engine.
// createTransactions() (transactions.ts) adds AsyncLocalStorage, propagation and events on top.

/** Options a runner forwards to its engine when it opens a top-level transaction. */
export interface TransactionOptions {
  isolationLevel?: 'read uncommitted' | 'read committed' | 'repeatable read' | 'serializable';
  accessMode?: 'read only' | 'read write';
}

/**
 * Opens transactions on one engine. `Handle` is what repositories query through: a drizzle
 * database/transaction, an in-memory store, a knex or Kysely transaction.
 *
 * Contract (checked by `testTransactionRunner` from `@plinth/services/testing`):
 * - `begin(fn)` opens a new top-level transaction, independent of any other open one, runs `fn`
 *   with its handle, commits when `fn` resolves and resolves with its value; when `fn` rejects it
 *   rolls back and rejects with the very same error (not wrapped). Writes are visible to other
 *   handles only after the commit.
 * - `savepoint(tx, fn)` runs `fn` inside the open transaction `tx` under a savepoint: when `fn`
 *   rejects, only the writes made under the savepoint are undone and the same error is rethrown;
 *   `tx` stays usable.
 * - `client` is the handle to use when no transaction is open (each statement commits alone).
 * - `concurrent` is false when the engine runs one transaction at a time (PGlite is one session):
 *   a second `begin()` while one is open would then wait for it, so requiresNew inside a
 *   transaction is refused rather than left to deadlock.
 */
export interface TransactionRunner<Handle> {
  /** A short name for messages and test titles: `drizzle`, `memory`. */
  readonly name: string;
  /** The handle outside any transaction. */
  readonly client: Handle;
  /** Whether two transactions may be open at the same time. */
  readonly concurrent: boolean;
  /** Runs `fn` in a new top-level transaction: commit on resolve, rollback on reject. */
  begin<T>(fn: (tx: Handle) => Promise<T>, options?: TransactionOptions): Promise<T>;
  /** Runs `fn` under a savepoint of the open transaction `tx`: undo its writes on reject. */
  savepoint<T>(tx: Handle, fn: (tx: Handle) => Promise<T>): Promise<T>;
}
