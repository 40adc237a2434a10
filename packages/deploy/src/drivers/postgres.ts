// Ready-made checks for PostgreSQL through postgres.js or drizzle-orm; the client is passed in.
import type { Check, DependencyCheckOptions } from '../check.js';
import { datastoreCheck } from './datastore.js';

/** The part of a postgres.js `sql` this check uses: the tagged template, and `cancel()` on its query. */
export type PostgresSql = (
  strings: TemplateStringsArray,
  ...values: never[]
) => PromiseLike<unknown> & { cancel?(): unknown };

/** The part of a drizzle database this check uses. */
export interface DrizzleDatabase {
  execute(query: string): PromiseLike<unknown>;
}

/**
 * A readiness check that runs `select 1` through a postgres.js `sql`; the query is cancelled when
 * the check times out.
 *
 * @example
 * const sql = postgres(process.env.DATABASE_URL);
 * health.add(postgresCheck(sql));
 */
export function postgresCheck(sql: PostgresSql, options: DependencyCheckOptions = {}): Check {
  return datastoreCheck('postgres', options, async (signal) => {
    const query = sql`select 1`;
    const cancel = () => query.cancel?.();
    signal.addEventListener('abort', cancel, { once: true });
    try {
      await query;
    } finally {
      signal.removeEventListener('abort', cancel);
    }
  });
}

/**
 * A readiness check that runs `select 1` through a drizzle database (`db.execute`).
 *
 * @example
 * const db = drizzle(sql);
 * health.add(drizzleCheck(db));
 */
export function drizzleCheck(db: DrizzleDatabase, options: DependencyCheckOptions = {}): Check {
  return datastoreCheck('postgres', options, async () => {
    await db.execute('select 1');
  });
}
