// Database isolation: a test runs inside a transaction that is rolled back at its end, so it leaves
// no rows behind; code under test that opens its own transaction gets a savepoint. Works on a
// drizzle database, a postgres.js `sql` and a PGlite instance, each recognised by its shape.
import { TestingError } from './errors.js';

/** A drizzle database (any driver): `transaction()` hands out a tx whose own transaction() is a savepoint. */
export interface DrizzleLike<Tx> {
  transaction<T>(fn: (tx: Tx) => Promise<T>, config?: never): Promise<T>;
  select: Function;
  execute: Function;
}

/** A postgres.js `sql`: `begin()` hands out a tx with `savepoint()` (both of its overloads, so Tx is inferred). */
export interface PostgresLike<Tx> {
  begin<T>(fn: (tx: Tx) => T | Promise<T>): Promise<unknown>;
  begin<T>(options: string, fn: (tx: Tx) => T | Promise<T>): Promise<unknown>;
  unsafe: Function;
}

/** A PGlite instance: `transaction()` hands out a tx with query/exec/sql. */
export interface PGliteLike<Tx> {
  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  query: Function;
  exec: Function;
}

/** postgres.js's tx, plus `begin()` as a savepoint, so code that opens its own transaction still works. */
export type PostgresIsolated<Tx> = Tx & { begin: Tx extends { savepoint: infer S } ? S : never };

/** PGlite's tx, plus `transaction()` as a savepoint. */
export type PGliteIsolated<Tx> = Tx & {
  transaction<T>(fn: (tx: PGliteIsolated<Tx>) => Promise<T>): Promise<T>;
};

/** The handle a test gets for a database: what it passes to the code under test is `db`. */
export interface Isolated<Db> {
  /** Use this one in the test and the app: every statement runs in the open transaction. */
  readonly db: Db;
  /** Rolls everything back; rejects if the transaction failed for another reason. */
  rollback(): Promise<void>;
}

/** The isolated handle isolate() gives for database D. */
export type IsolatedOf<D> =
  D extends PostgresLike<infer Tx>
    ? PostgresIsolated<Tx>
    : D extends DrizzleLike<infer Tx>
      ? Tx
      : D extends PGliteLike<infer Tx>
        ? PGliteIsolated<Tx>
        : never;

class Rollback extends Error {
  constructor() {
    super('rolled back by @plinth/testing at the end of the test');
    this.name = 'Rollback';
  }
}

// Opens a transaction and keeps it open until rollback(): the callback resolves the handle, then waits.
function holdOpen<Tx>(open: (fn: (tx: Tx) => Promise<void>) => PromiseLike<unknown>): Promise<Isolated<Tx>> {
  const signal = new Rollback();
  let release!: () => void;
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  return new Promise((resolve, reject) => {
    let handed = false;
    const finished = Promise.resolve(
      open(async (tx) => {
        handed = true;
        resolve({
          db: tx,
          rollback: async () => {
            release();
            await finished;
          },
        });
        await released;
        throw signal;
      }),
    ).then(
      () => undefined,
      (error: unknown) => {
        if (error === signal) return;
        if (!handed) reject(error);
        else throw error;
      },
    );
    // Reported through rollback() once handed out; never an unhandled rejection meanwhile.
    finished.catch(() => {});
  });
}

function postgresWithSavepoints<Tx extends { savepoint: Function }>(tx: Tx): PostgresIsolated<Tx> {
  return new Proxy(tx, {
    get(target, property, receiver) {
      if (property === 'begin') {
        // begin(fn) or begin(options, fn): isolation options cannot apply inside a transaction.
        return (...args: unknown[]) => target.savepoint(args[args.length - 1]);
      }
      return Reflect.get(target, property, receiver);
    },
  }) as PostgresIsolated<Tx>;
}

function pgliteWithSavepoints<Tx extends { exec(sql: string): Promise<unknown> }>(
  tx: Tx,
): PGliteIsolated<Tx> {
  let depth = 0;
  const wrapped: PGliteIsolated<Tx> = new Proxy(tx, {
    get(target, property, receiver) {
      if (property !== 'transaction') return Reflect.get(target, property, receiver);
      return async <T>(fn: (inner: PGliteIsolated<Tx>) => Promise<T>): Promise<T> => {
        const name = `plinth_testing_${++depth}`;
        await target.exec(`SAVEPOINT ${name}`);
        try {
          const result = await fn(wrapped);
          await target.exec(`RELEASE SAVEPOINT ${name}`);
          return result;
        } catch (error) {
          await target.exec(`ROLLBACK TO SAVEPOINT ${name}`);
          throw error;
        }
      };
    },
  }) as PGliteIsolated<Tx>;
  return wrapped;
}

/** Which of the three shapes `database` has, or undefined. */
export function databaseKind(database: unknown): 'postgres' | 'drizzle' | 'pglite' | undefined {
  const candidate = database as Record<string, unknown> | null;
  if (
    typeof database === 'function' &&
    typeof candidate?.begin === 'function' &&
    typeof candidate?.unsafe === 'function'
  ) {
    return 'postgres';
  }
  if (typeof database !== 'object' || !candidate || typeof candidate.transaction !== 'function')
    return undefined;
  if (typeof candidate.select === 'function' && typeof candidate.execute === 'function') return 'drizzle';
  if (typeof candidate.query === 'function' && typeof candidate.exec === 'function') return 'pglite';
  return undefined;
}

/**
 * Opens a transaction on `database` and hands it out until rollback(): give `db` to the code under
 * test, then roll back in afterEach. Nested transactions become savepoints.
 *
 * @example
 * const { db: tx, rollback } = await isolate(db);
 * await createUser(tx, { email: 'a@example.test' });
 * await rollback(); // the row is gone
 */
export async function isolate<D>(database: D): Promise<Isolated<IsolatedOf<D>>> {
  const kind = databaseKind(database);
  const anyDb = database as never as {
    begin(fn: (tx: { savepoint: Function }) => Promise<void>): Promise<unknown>;
    transaction(fn: (tx: never) => Promise<void>): Promise<unknown>;
  };
  let opened: Promise<Isolated<unknown>>;
  if (kind === 'postgres') {
    opened = holdOpen<{ savepoint: Function }>((fn) => anyDb.begin(fn)).then((handle) => ({
      db: postgresWithSavepoints(handle.db),
      rollback: handle.rollback,
    }));
  } else if (kind === 'drizzle') {
    opened = holdOpen((fn) => anyDb.transaction(fn));
  } else if (kind === 'pglite') {
    opened = holdOpen<{ exec(sql: string): Promise<unknown> }>((fn) => anyDb.transaction(fn as never)).then(
      (handle) => ({ db: pgliteWithSavepoints(handle.db), rollback: handle.rollback }),
    );
  } else {
    throw new TestingError(
      'ERR_TESTING_UNSUPPORTED_DATABASE',
      'isolate: give a drizzle database, a postgres.js sql or a PGlite instance (something with transaction()/begin()).',
    );
  }
  return opened as Promise<Isolated<IsolatedOf<D>>>;
}

/**
 * Runs `fn` inside a transaction that is always rolled back, and returns what it returned.
 *
 * @example
 * await withRollback(db, async (tx) => {
 *   await tx.insert(users).values({ email: 'a@example.test' });
 * });
 */
export async function withRollback<D, R>(database: D, fn: (db: IsolatedOf<D>) => Promise<R>): Promise<R> {
  const handle = await isolate(database);
  try {
    return await fn(handle.db);
  } finally {
    await handle.rollback();
  }
}
