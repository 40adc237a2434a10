// The internal seam between the database and an engine: postgres.js (a pool of connections to a
// server) or PGlite (PostgreSQL in this process). Everything above it has one code path.
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';

/** One connection's worth of raw SQL, used by the migration runner. */
export interface Connection {
  /** Runs one statement with parameters and returns its rows. */
  query<Row = Record<string, unknown>>(text: string, params?: unknown[]): Promise<Row[]>;
  /** Runs SQL that may hold several statements (simple protocol), no parameters. */
  exec(text: string): Promise<void>;
  /** Runs `fn` in a transaction on this connection: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (connection: Connection) => Promise<T>): Promise<T>;
}

/** The engine behind a database: how to build drizzle on it, ping it, hold one connection, close it. */
export interface Driver {
  readonly kind: 'postgres' | 'pglite';
  /** Where the database lives, with no password: for error messages and logs. */
  readonly target: string;
  /** The raw client (postgres.js `sql` or the PGlite instance). */
  readonly client: unknown;
  /** A drizzle database over the client. */
  drizzle(config: {
    schema?: Record<string, unknown>;
    casing?: 'snake_case' | 'camelCase';
  }): PgDatabase<PgQueryResultHKT, Record<string, unknown>>;
  /** Runs `select 1`; aborting `signal` cancels it. */
  ping(signal: AbortSignal): Promise<void>;
  /** Runs `fn` with one dedicated connection, so session state (an advisory lock) holds across its calls. */
  withConnection<T>(fn: (connection: Connection) => Promise<T>): Promise<T>;
  /** Closes the client, letting running queries finish for up to `timeout` ms. */
  close(timeout: number): Promise<void>;
}
