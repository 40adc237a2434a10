// The PGlite driver: PostgreSQL compiled to WebAssembly, in this process, in memory or in a
// directory. Loaded only when no postgres:// URL is given, so server users never install it.
import type { Connection, Driver } from '../driver.js';
import { loadOptional } from '../optional-module.js';

type PGlite = import('@electric-sql/pglite').PGlite;
type Queryable = Pick<PGlite, 'query' | 'exec'>;

/** A PGlite driver for `dataDir` (in memory when undefined). */
export async function createPgliteDriver(
  dataDir: string | undefined,
  display: string,
  options: { pglite: Record<string, unknown> },
): Promise<Driver> {
  const purpose = 'The embedded database (no postgres:// URL)';
  const { PGlite } = await loadOptional<typeof import('@electric-sql/pglite')>(
    '@electric-sql/pglite',
    '@electric-sql/pglite',
    purpose,
  );
  const { drizzle } = await loadOptional<typeof import('drizzle-orm/pglite')>(
    'drizzle-orm/pglite',
    '@electric-sql/pglite',
    purpose,
  );
  const pg = await PGlite.create({ ...(dataDir === undefined ? {} : { dataDir }), ...options.pglite });
  return {
    kind: 'pglite',
    target: display,
    client: pg,
    drizzle: (config) => drizzle({ client: pg, ...config }) as never,
    async ping(signal) {
      signal.throwIfAborted();
      await pg.query('select 1');
    },
    // PGlite is one session: a transaction holds its exclusive lock, so other queries wait.
    withConnection: (fn) => fn(pgliteConnection(pg)),
    async close() {
      if (!pg.closed) await pg.close();
    },
  };
}

function pgliteConnection(pg: Queryable & Pick<PGlite, 'transaction'>): Connection {
  return { ...queryable(pg), transaction: (fn) => pg.transaction((tx) => fn(inTransaction(tx))) };
}

/** A connection already inside a transaction: a nested `transaction()` runs in the same one. */
function inTransaction(tx: Queryable): Connection {
  const connection: Connection = { ...queryable(tx), transaction: (fn) => fn(connection) };
  return connection;
}

function queryable(target: Queryable): Pick<Connection, 'query' | 'exec'> {
  return {
    query: async <Row>(text: string, params: unknown[] = []) => (await target.query<Row>(text, params)).rows,
    exec: async (text) => {
      await target.exec(text);
    },
  };
}
