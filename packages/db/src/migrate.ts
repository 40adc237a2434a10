// The migration runner: applies drizzle-kit's SQL files once each, under a PostgreSQL advisory lock
// (so concurrent deploys queue instead of racing), each file in its own transaction together with
// its journal row, and refuses to run when an applied file was edited or removed.
//
// Why not drizzle's own migrator: it records a hash but never compares it (an edited migration is
// silently skipped), it decides what is pending by timestamp (a migration merged late with an older
// timestamp is skipped), and it takes no lock (two deploys both apply the same file).
import { createHash } from 'node:crypto';
import { driverOf } from './database.js';
import type { Connection } from './driver.js';
import { DbError } from './errors.js';
import { type MigrationFile, readMigrationFiles } from './migration-files.js';
import type { DbLogger } from './query-log.js';
import { isUnavailable, sqlStateOf, translateError } from './sql-state.js';

/** Options of {@link migrate} and {@link migrationStatus}. */
export interface MigrateOptions {
  /** The folder drizzle-kit generates into (its `out`), e.g. `./drizzle`. */
  folder: string;
  /** The journal table. Default `plinth_migrations`. */
  table?: string;
  /** The journal table's schema, created when missing. Default `public`. */
  schema?: string;
  /** How long to wait for another process's migration lock, in ms. Default 60 000. */
  lockTimeout?: number;
  /** Logs each applied migration at `info`. */
  logger?: Pick<DbLogger, 'info'>;
}

/** One migration as the journal recorded it. */
export interface AppliedMigration {
  name: string;
  checksum: string;
  appliedAt: Date;
}

/** What {@link migrationStatus} reports. */
export interface MigrationStatus {
  /** Applied migrations, in order. */
  applied: AppliedMigration[];
  /** Files not applied yet, in order. */
  pending: string[];
  /** Applied migrations whose file changed since (checksum differs) — never re-run, fix them. */
  changed: string[];
  /** Applied migrations whose file is gone from the folder. */
  missing: string[];
}

/** What {@link migrate} did. */
export interface MigrateResult {
  /** The migrations this call applied (empty when another process had applied them already). */
  applied: string[];
}

interface JournalRow {
  id: number;
  name: string;
  checksum: string;
  applied_at: Date | string;
}

const identifier = (name: string) => `"${name.replace(/"/g, '""')}"`;

function journal(options: MigrateOptions) {
  const schema = options.schema ?? 'public';
  const table = options.table ?? 'plinth_migrations';
  // One lock per journal table: a 64-bit key from its name, stable across processes and versions.
  const lockKey = createHash('sha256')
    .update(`@plinth/db:${schema}.${table}`)
    .digest()
    .readBigInt64BE(0)
    .toString();
  return { schema, table, name: `${identifier(schema)}.${identifier(table)}`, lockKey };
}

async function readJournal(connection: Connection, name: string): Promise<JournalRow[]> {
  return connection.query<JournalRow>(`select id, name, checksum, applied_at from ${name} order by id`);
}

function compare(files: MigrationFile[], rows: JournalRow[]): MigrationStatus {
  const status: MigrationStatus = { applied: [], pending: [], changed: [], missing: [] };
  for (const row of rows) {
    const file = files[row.id];
    status.applied.push({ name: row.name, checksum: row.checksum, appliedAt: new Date(row.applied_at) });
    if (!file || file.name !== row.name) status.missing.push(row.name);
    else if (file.checksum !== row.checksum) status.changed.push(row.name);
  }
  status.pending = files.slice(rows.length).map((file) => file.name);
  return status;
}

function assertUnchanged(status: MigrationStatus, folder: string): void {
  if (status.changed.length > 0) {
    throw new DbError(
      'ERR_DB_MIGRATION_CHANGED',
      `Applied migration ${status.changed.join(', ')} in ${folder} was edited after it was applied (its checksum differs). Revert the edit and put the change in a new migration (\`plinth-db create <name>\`).`,
    );
  }
  if (status.missing.length > 0) {
    throw new DbError(
      'ERR_DB_MIGRATION_MISSING',
      `Applied migration ${status.missing.join(', ')} is not in ${folder} (removed or renamed). Restore the file under its name; applied migrations are never removed.`,
    );
  }
}

async function acquireLock(connection: Connection, key: string, timeout: number): Promise<void> {
  await connection.query(`select set_config('lock_timeout', $1, false)`, [
    `${Math.max(1, Math.floor(timeout))}ms`,
  ]);
  try {
    await connection.query('select pg_advisory_lock($1::bigint)', [key]);
  } catch (error) {
    if (sqlStateOf(error) !== '55P03') throw error;
    throw new DbError(
      'ERR_DB_MIGRATION_LOCKED',
      `Another process held the migration lock for more than ${timeout} ms. If no migration is running, end the session holding advisory lock ${key} (see pg_locks), or raise lockTimeout.`,
      { cause: error },
    );
  } finally {
    await connection.query('select set_config($1, $2, false)', ['lock_timeout', '0']);
  }
}

async function applyOne(connection: Connection, tableName: string, file: MigrationFile): Promise<void> {
  const started = performance.now();
  await connection.transaction(async (tx) => {
    for (const [position, statement] of file.statements.entries()) {
      try {
        await tx.exec(statement);
      } catch (error) {
        throw new DbError(
          'ERR_DB_MIGRATION_FAILED',
          `Migration ${file.name} failed at statement ${position + 1} of ${file.statements.length} (${(error as Error).message}); it was rolled back and nothing of it was applied. Fix it (it was never applied, so editing it is safe) and run migrate again.`,
          { cause: error },
        );
      }
    }
    await tx.query(`insert into ${tableName} (id, name, checksum, duration_ms) values ($1, $2, $3, $4)`, [
      file.index,
      file.name,
      file.checksum,
      Math.round(performance.now() - started),
    ]);
  });
}

/**
 * Applies the pending migrations of `folder`, each once and in order, even when several processes
 * call it at once (a PostgreSQL advisory lock serialises them; the later ones find nothing to do).
 * Each file runs in its own transaction with its journal row. Throws, before applying anything,
 * when the folder has a gap or an applied file was edited or removed.
 *
 * @example
 * await migrate(db, { folder: fileURLToPath(new URL('../drizzle', import.meta.url)) });
 */
export async function migrate(db: object, options: MigrateOptions): Promise<MigrateResult> {
  const driver = driverOf(db);
  const files = readMigrationFiles(options.folder);
  const { schema, name, lockKey } = journal(options);
  const lockTimeout = options.lockTimeout ?? 60_000;
  try {
    return await driver.withConnection(async (connection) => {
      await acquireLock(connection, lockKey, lockTimeout);
      try {
        await connection.exec(`create schema if not exists ${identifier(schema)}`);
        await connection.exec(
          `create table if not exists ${name} (id integer primary key, name text not null unique, checksum text not null, applied_at timestamptz not null default now(), duration_ms integer not null)`,
        );
        const status = compare(files, await readJournal(connection, name));
        assertUnchanged(status, options.folder);
        const applied: string[] = [];
        for (const file of files.slice(status.applied.length)) {
          await applyOne(connection, name, file);
          applied.push(file.name);
          options.logger?.info({ migration: file.name }, 'migration applied');
        }
        await connection.query('select pg_advisory_unlock($1::bigint)', [lockKey]);
        return { applied };
      } catch (error) {
        // A dead connection's locks are gone with it; anything sent on it would fail (or crash postgres.js).
        if (!isUnavailable(error))
          await connection.query('select pg_advisory_unlock($1::bigint)', [lockKey]).catch(() => {});
        throw error;
      }
    });
  } catch (error) {
    throw translateError(error, driver.target);
  }
}

/** Lists applied and pending migrations, and applied ones edited or removed since. Changes nothing. */
export async function migrationStatus(db: object, options: MigrateOptions): Promise<MigrationStatus> {
  const driver = driverOf(db);
  const files = readMigrationFiles(options.folder);
  const { schema, table, name } = journal(options);
  try {
    return await driver.withConnection(async (connection) => {
      const [found] = await connection.query<{ exists: boolean }>(
        'select to_regclass($1) is not null as exists',
        [`${identifier(schema)}.${identifier(table)}`],
      );
      return compare(files, found?.exists ? await readJournal(connection, name) : []);
    });
  } catch (error) {
    throw translateError(error, driver.target);
  }
}
