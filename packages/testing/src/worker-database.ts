// A database per test worker, created from the migrations once and reused: parallel test files
// never share rows, and a worker pays for migrations only the first time (and after they change).
import { TestingError } from './errors.js';

/** The part of a postgres.js `sql` connected to the server as a user allowed to CREATE DATABASE. */
export interface AdminSql {
  unsafe(query: string, parameters?: unknown[]): PromiseLike<ReadonlyArray<Record<string, unknown>>>;
  /** postgres.js's reserved connection: when present, creators of one database take turns on an advisory lock. */
  reserve?(): Promise<AdminSql & { release(): void }>;
}

/** Options of workerDatabase(). */
export interface WorkerDatabaseOptions {
  /** An admin connection (postgres.js `sql`) on the server, e.g. to its `postgres` database. */
  admin: AdminSql;
  /** The server URL; its database name is replaced by the worker's. */
  url: string;
  /** Applies the migrations to the database at `url` (e.g. drizzle's migrate()). Runs once per database. */
  migrate: (url: string) => Promise<void>;
  /**
   * What the migrations are: a version or hash of the migrations folder. A changed key makes a new
   * database, so a stale schema is never reused.
   */
  key: string;
  /** The worker's number; vitest's VITEST_POOL_ID by default. */
  worker?: string | number;
  /** Database name prefix (default `plinth_test`). */
  prefix?: string;
}

/** A worker's database. */
export interface WorkerDatabase {
  /** The database name. */
  readonly name: string;
  /** The URL to connect to it. */
  readonly url: string;
  /** True when this call created and migrated it, false when it was reused. */
  readonly created: boolean;
  /** Drops it (terminating other connections to it). */
  drop(): Promise<void>;
}

const READY = 'plinth-testing:ready:';

function identifier(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '_')
    .slice(0, 63);
}

function quote(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

async function readyKey(admin: AdminSql, name: string): Promise<string | null | undefined> {
  const rows = await admin.unsafe(
    'select shobj_description(oid, $2) as comment from pg_database where datname = $1',
    [name, 'pg_database'],
  );
  if (rows.length === 0) return undefined;
  return (rows[0]?.comment as string | null) ?? null;
}

async function dropDatabase(admin: AdminSql, name: string): Promise<void> {
  await admin.unsafe(`drop database if exists ${quote(name)} with (force)`);
}

/**
 * The database of this test worker: created and migrated on first use, reused while `key` is the
 * same. Call it in a vitest globalSetup or a worker-scoped fixture.
 *
 * @example
 * const database = await workerDatabase({ admin, url: process.env.DATABASE_URL!, key: migrationsHash,
 *   migrate: (url) => migrate(drizzle(postgres(url, { max: 1 })), { migrationsFolder: './drizzle' }) });
 */
export async function workerDatabase(options: WorkerDatabaseOptions): Promise<WorkerDatabase> {
  const { admin, migrate, key } = options;
  if (
    typeof admin?.unsafe !== 'function' ||
    typeof migrate !== 'function' ||
    typeof key !== 'string' ||
    key === ''
  ) {
    throw new TestingError(
      'ERR_TESTING_INVALID_OPTION',
      'workerDatabase: give { admin: a postgres.js sql, url, migrate: (url) => Promise, key: a non-empty version of the migrations }.',
    );
  }
  let base: URL;
  try {
    base = new URL(options.url);
  } catch (error) {
    throw new TestingError(
      'ERR_TESTING_INVALID_OPTION',
      `workerDatabase: url ${JSON.stringify(options.url)} is not a URL; give postgres://user@host:5432/db.`,
      { cause: error },
    );
  }
  const worker = options.worker ?? process.env.VITEST_POOL_ID ?? process.env.VITEST_WORKER_ID ?? '1';
  const name = identifier(`${options.prefix ?? 'plinth_test'}_${key}_w${worker}`);
  const url = new URL(base);
  url.pathname = `/${name}`;
  const drop = () => dropDatabase(admin, name);

  // Several processes may ask for the same database at once (two runs, or workers sharing an id):
  // they take turns on a session advisory lock, so one creates and migrates, the others reuse.
  const connection = admin.reserve ? await admin.reserve() : undefined;
  const session: AdminSql = connection ?? admin;
  await session.unsafe('select pg_advisory_lock(hashtext($1))', [name]);
  try {
    const created = await ensureMigrated(session, name, key, () => migrate(url.href));
    return { name, url: url.href, created, drop };
  } finally {
    await session.unsafe('select pg_advisory_unlock(hashtext($1))', [name]).then(undefined, () => {});
    connection?.release();
  }
}

async function ensureMigrated(
  admin: AdminSql,
  name: string,
  key: string,
  migrate: () => Promise<void>,
): Promise<boolean> {
  const current = await readyKey(admin, name);
  if (current === `${READY}${key}`) return false;
  // Absent, or left half-migrated by a run that died: start over.
  if (current !== undefined) await dropDatabase(admin, name);
  await admin.unsafe(`create database ${quote(name)}`);
  try {
    await migrate();
  } catch (error) {
    await dropDatabase(admin, name).catch(() => {});
    throw error;
  }
  await admin.unsafe(`comment on database ${quote(name)} is '${READY}${key.replace(/'/g, "''")}'`);
  return true;
}
