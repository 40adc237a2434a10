// createDatabase: one drizzle database over postgres.js (postgres:// URLs) or PGlite (memory or a
// directory), with pool options, query logging, typed errors, a health check and a draining close.
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import type { Driver } from './driver.js';
import { createPgliteDriver } from './drivers/pglite.js';
import { createPostgresDriver } from './drivers/postgres.js';
import { DbError } from './errors.js';
import { type DatabaseCheck, type HealthOptions, healthCheck, ping } from './health.js';
import { closedError, instrument } from './instrument.js';
import { type DbLogger, logQuery, type QueryLogOptions, statementName } from './query-log.js';
import { sqlStateOf, translateError } from './sql-state.js';
import { parseDatabaseUrl } from './url.js';

/** Options of {@link createDatabase}. Durations are in milliseconds. */
export interface DatabaseOptions<TSchema extends Record<string, unknown> = Record<string, never>> {
  /**
   * `postgres://user:password@host:5432/name` for PostgreSQL (postgres.js); `memory://` or nothing
   * for PGlite in memory; `file:///path` or a directory path for PGlite on disk.
   */
  url?: string | undefined;
  /** The drizzle schema (tables and relations), for `db.query.<table>` and typed results. */
  schema?: TSchema;
  /** drizzle's column name casing. */
  casing?: 'snake_case' | 'camelCase';
  /** Most connections in the pool (postgres.js). Default 10. */
  max?: number;
  /** Close a connection idle this long (postgres.js). Default: never. */
  idleTimeout?: number;
  /** Give up connecting after this long (postgres.js). Default 10 000. */
  connectTimeout?: number;
  /**
   * PostgreSQL's `statement_timeout` for every statement (postgres.js). Default: none. PGlite cannot
   * interrupt a statement (it runs in this thread), so there it is not applied.
   */
  statementTimeout?: number;
  /** PostgreSQL's `application_name`, shown in `pg_stat_activity` (postgres.js). */
  applicationName?: string;
  /** Named prepared statements (postgres.js). Set false behind PgBouncer in transaction mode. Default true. */
  prepare?: boolean;
  /** How long `close()` lets running queries finish before it cuts them off. Default 10 000. */
  closeTimeout?: number;
  /** A pino-shaped logger: each query is logged with its statement name and duration. */
  logger?: DbLogger;
  /** What the query log writes; parameters are never logged unless `parameters: true`. */
  queryLog?: QueryLogOptions;
  /** Extra PGlite options (`loadDataDir`, `extensions` ...), for the embedded database only. */
  pglite?: Record<string, unknown>;
}

/** What @plinth/db adds to a drizzle database. */
export interface DatabaseExtras {
  /** Which engine runs the database. */
  readonly driver: 'postgres' | 'pglite';
  /** Runs `select 1`, failing with ERR_DB_HEALTH_TIMEOUT after `timeout` ms (default 2000). */
  ping(options?: { timeout?: number; signal?: AbortSignal }): Promise<void>;
  /** A health check in the shape @plinth/deploy's `health.add()` takes: `{ name, run(signal) }`. */
  health(options?: HealthOptions): DatabaseCheck;
  /** Refuses new queries, waits for running ones (up to `timeout` ms), then closes the connections. */
  close(options?: { timeout?: number }): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/** A drizzle database (postgres.js or PGlite, one type) with {@link DatabaseExtras}. */
export type Database<TSchema extends Record<string, unknown> = Record<string, never>> = PgDatabase<
  PgQueryResultHKT,
  TSchema
> &
  DatabaseExtras;

// Symbol.for, not Symbol(): the ESM and the CJS build must find the same driver on one database.
const driverKey = Symbol.for('@plinth/db.driver');

/** The driver behind a database made by {@link createDatabase}. */
export function driverOf(db: object): Driver {
  const driver = (db as { [driverKey]?: Driver })[driverKey];
  if (!driver) {
    throw new DbError('ERR_DB_INVALID_OPTION', 'Pass a database made by createDatabase() from @plinth/db.');
  }
  return driver;
}

function assertDurationOption(name: string, value: unknown, min = 0): void {
  if (value !== undefined && (typeof value !== 'number' || !Number.isFinite(value) || value < min)) {
    throw new DbError('ERR_DB_INVALID_OPTION', `${name} must be a number ≥ ${min}, got ${String(value)}.`);
  }
}

function validate(options: DatabaseOptions<Record<string, unknown>>): void {
  for (const name of ['idleTimeout', 'connectTimeout', 'statementTimeout', 'closeTimeout'] as const) {
    assertDurationOption(name, options[name]);
  }
  assertDurationOption('max', options.max, 1);
  if (options.max !== undefined && !Number.isInteger(options.max)) {
    throw new DbError(
      'ERR_DB_INVALID_OPTION',
      `max must be a whole number of connections, got ${options.max}.`,
    );
  }
}

async function openDriver(options: DatabaseOptions<Record<string, unknown>>): Promise<Driver> {
  const target = parseDatabaseUrl(options.url);
  if (target.kind === 'pglite') {
    return createPgliteDriver(target.dataDir, target.display, { pglite: options.pglite ?? {} });
  }
  return createPostgresDriver(target.url, target.display, {
    max: options.max ?? 10,
    idleTimeout: options.idleTimeout,
    connectTimeout: options.connectTimeout ?? 10_000,
    statementTimeout: options.statementTimeout,
    applicationName: options.applicationName,
    prepare: options.prepare ?? true,
  });
}

/** Counts running queries and transactions, and tells close() when none are left. */
function createInFlight() {
  let count = 0;
  let closed = false;
  let idle: (() => void) | undefined;
  return {
    enter(inTransaction = false) {
      if (closed && !inTransaction) throw closedError();
      count++;
      return () => {
        count--;
        if (count === 0) idle?.();
      };
    },
    /** Marks the database closed; resolves when nothing runs, or after `timeout` ms. */
    drain(timeout: number): Promise<void> {
      closed = true;
      if (count === 0) return Promise.resolve();
      return new Promise((resolve) => {
        const timer = setTimeout(resolve, timeout);
        idle = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    },
  };
}

/**
 * Opens a database: PostgreSQL through postgres.js for a `postgres://` URL, else PGlite (in memory,
 * or in a directory). The result is a drizzle database — `db.select()`, `db.insert()`,
 * `db.transaction()`, `db.query.*` — with `ping`, `health`, `close` and `Symbol.asyncDispose`.
 *
 * @example
 * const db = await createDatabase({ url: process.env.DATABASE_URL, schema });
 * await migrate(db, { folder: './drizzle' });
 * const rows = await db.select().from(schema.users);
 */
export async function createDatabase<TSchema extends Record<string, unknown> = Record<string, never>>(
  options: DatabaseOptions<TSchema> = {},
): Promise<Database<TSchema>> {
  validate(options);
  const driver = await openDriver(options);
  const drizzleConfig: { schema?: Record<string, unknown>; casing?: 'snake_case' | 'camelCase' } = {};
  if (options.schema) drizzleConfig.schema = options.schema;
  if (options.casing) drizzleConfig.casing = options.casing;
  const db = driver.drizzle(drizzleConfig);
  const inFlight = createInFlight();
  const { logger } = options;
  const queryLog = options.queryLog ?? {};
  instrument(db, {
    prepare: options.prepare ?? true,
    enter: inFlight.enter,
    translate: (error) => translateError(error, driver.target),
    onQuery: logger
      ? (sql, params, name, durationMs, error) =>
          logQuery(logger, queryLog, {
            statement: name ?? statementName(sql),
            sql,
            params,
            durationMs,
            errorCode: error === undefined ? undefined : (sqlStateOf(error) ?? errorCodeOf(error)),
          })
      : undefined,
  });
  let closing: Promise<void> | undefined;
  const close = (closeOptions: { timeout?: number } = {}) => {
    closing ??= (async () => {
      const timeout = closeOptions.timeout ?? options.closeTimeout ?? 10_000;
      const started = performance.now();
      await inFlight.drain(timeout);
      // One budget for both steps: what draining used is not given again to the driver.
      await driver.close(Math.max(0, timeout - (performance.now() - started)));
    })();
    return closing;
  };
  const extras: DatabaseExtras & { [driverKey]: Driver } = {
    driver: driver.kind,
    ping: async (pingOptions = {}) => {
      const leave = inFlight.enter();
      return ping(driver, pingOptions).finally(leave);
    },
    health: (healthOptions = {}) => healthCheck(driver, healthOptions),
    close,
    [Symbol.asyncDispose]: () => close(),
    [driverKey]: driver,
  };
  return Object.assign(db, extras) as unknown as Database<TSchema>;
}

function errorCodeOf(error: unknown): string {
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'string' ? code : 'unknown';
}
