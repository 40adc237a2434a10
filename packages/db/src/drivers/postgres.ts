// The postgres.js driver: a pool of connections to a PostgreSQL server, loaded only when a
// postgres:// URL asks for it, so PGlite users never install postgres.
import type { Connection, Driver } from '../driver.js';
import { loadOptional } from '../optional-module.js';
import { isUnavailable } from '../sql-state.js';
import { reservedTransaction } from './postgres-transaction.js';

/** Pool options, in milliseconds (postgres.js takes seconds; we convert). */
export interface PostgresPoolOptions {
  max: number;
  idleTimeout: number | undefined;
  connectTimeout: number;
  statementTimeout: number | undefined;
  applicationName: string | undefined;
  prepare: boolean;
}

type Sql = import('postgres').Sql;
type ReservedSql = import('postgres').ReservedSql;

const seconds = (ms: number) => ms / 1000;

/** A postgres.js driver for `url`. */
export async function createPostgresDriver(
  url: string,
  display: string,
  pool: PostgresPoolOptions,
): Promise<Driver> {
  const postgres = (
    await loadOptional<{ default: typeof import('postgres') }>('postgres', 'postgres', 'A postgres:// URL')
  ).default;
  const { drizzle, PostgresJsSession, PostgresJsTransaction } = await loadOptional<
    typeof import('drizzle-orm/postgres-js')
  >('drizzle-orm/postgres-js', 'postgres', 'A postgres:// URL');
  // Startup parameters, sent once per connection (PgBouncer needs `ignore_startup_parameters` for
  // statement_timeout).
  const connection: Record<string, string | number> = {};
  if (pool.applicationName !== undefined) connection.application_name = pool.applicationName;
  if (pool.statementTimeout !== undefined) connection.statement_timeout = pool.statementTimeout;
  const sql: Sql = postgres(url, {
    max: pool.max,
    connect_timeout: seconds(pool.connectTimeout),
    ...(pool.idleTimeout === undefined ? {} : { idle_timeout: seconds(pool.idleTimeout) }),
    prepare: pool.prepare,
    connection,
    onnotice: () => {},
  });
  return {
    kind: 'postgres',
    target: display,
    client: sql,
    drizzle(config) {
      const db = drizzle({ client: sql, ...config });
      const session = (db as unknown as { session: { transaction: unknown } }).session;
      session.transaction = reservedTransaction(
        sql,
        PostgresJsSession as never,
        PostgresJsTransaction as never,
      );
      return db as never;
    },
    async ping(signal) {
      const query = sql`select 1`;
      const cancel = () => query.cancel();
      signal.addEventListener('abort', cancel, { once: true });
      try {
        await query;
      } finally {
        signal.removeEventListener('abort', cancel);
      }
    },
    async withConnection(fn) {
      const reserved = await sql.reserve();
      try {
        const result = await fn(reservedConnection(reserved));
        reserved.release();
        return result;
      } catch (error) {
        // Not released when dead: see postgres-transaction.ts.
        if (!isUnavailable(error)) reserved.release();
        throw error;
      }
    },
    close: (timeout) => sql.end({ timeout: seconds(timeout) }),
  };
}

function reservedConnection(reserved: ReservedSql): Connection {
  const connection: Connection = {
    query: async <Row>(text: string, params: unknown[] = []) =>
      [...(await reserved.unsafe(text, params as never[]))] as Row[],
    exec: async (text) => {
      await reserved.unsafe(text).simple();
    },
    async transaction(fn) {
      await reserved.unsafe('begin');
      try {
        const result = await fn(connection);
        await reserved.unsafe('commit');
        return result;
      } catch (error) {
        // On a closed connection, postgres.js would crash writing the ROLLBACK (see postgres-transaction.ts).
        if (!isUnavailable(error)) await reserved.unsafe('rollback').catch(() => {});
        throw error;
      }
    },
  };
  return connection;
}
