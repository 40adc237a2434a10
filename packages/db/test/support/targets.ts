// The two engines every contract suite runs against: PostgreSQL (DATABASE_URL, a database of its
// own per test, created and dropped here) and PGlite (loaded from the dump of global-setup.ts).
// Without PostgreSQL the suites run on PGlite alone with a notice, except under CI=true.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import postgres from 'postgres';
import { afterAll, inject } from 'vitest';
import { createDatabase, type Database, type DatabaseOptions } from '../../src/index.js';
import * as schema from '../fixtures/schema.js';

export const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export type TestDatabase = Database<typeof schema>;

/** One engine: `open()` gives a fresh, empty database, cleaned up after the file. */
export interface Target {
  name: 'postgres' | 'pglite';
  open(options?: Omit<DatabaseOptions<typeof schema>, 'url' | 'schema'>): Promise<TestDatabase>;
  /** For PostgreSQL, a fresh empty database's URL (for child processes); undefined on PGlite. */
  createUrl?(): Promise<string>;
}

let postgresAnswers: Promise<boolean> | undefined;

/** Whether PostgreSQL answers at DATABASE_URL; under CI=true a silent server fails the run. */
export function checkPostgres(): Promise<boolean> {
  postgresAnswers ??= (async () => {
    const sql = postgres(databaseUrl, { max: 1, connect_timeout: 3, onnotice: () => {} });
    try {
      await sql`select 1`;
      return true;
    } catch (error) {
      if (process.env.CI === 'true' || process.env.CI === '1') {
        throw new Error(
          `PostgreSQL at ${databaseUrl} does not answer (${(error as Error).message}); CI needs it: start it or set DATABASE_URL.`,
        );
      }
      console.warn(
        `[@plinth/db] PostgreSQL at ${databaseUrl} does not answer: skipping the PostgreSQL runs (set DATABASE_URL).`,
      );
      return false;
    } finally {
      await sql.end({ timeout: 1 });
    }
  })();
  return postgresAnswers;
}

function urlOf(name: string): string {
  const url = new URL(databaseUrl);
  url.pathname = `/${name}`;
  return url.href;
}

const created: string[] = [];
let admin: postgres.Sql | undefined;

async function createPostgresDatabase(): Promise<string> {
  admin ??= postgres(databaseUrl, { max: 2, onnotice: () => {} });
  const name = `plinth_db_test_${randomBytes(6).toString('hex')}`;
  await admin.unsafe(`create database "${name}"`);
  created.push(name);
  return urlOf(name);
}

const opened: TestDatabase[] = [];

afterAll(async () => {
  await Promise.all(opened.splice(0).map((db) => db.close({ timeout: 1000 }).catch(() => {})));
  for (const name of created.splice(0)) await admin?.unsafe(`drop database if exists "${name}" with (force)`);
  await admin?.end({ timeout: 1 });
  admin = undefined;
});

const postgresTarget: Target = {
  name: 'postgres',
  async open(options = {}) {
    const db = await createDatabase({ ...options, url: await createPostgresDatabase(), schema });
    opened.push(db);
    return db;
  },
  createUrl: createPostgresDatabase,
};

const pgliteTarget: Target = {
  name: 'pglite',
  async open(options = {}) {
    const dump = new Blob([readFileSync(inject('pgliteDump'))]);
    const db = await createDatabase({ ...options, schema, pglite: { loadDataDir: dump, ...options.pglite } });
    opened.push(db);
    return db;
  },
};

/** The engines to run a contract suite against: both, or PGlite alone when PostgreSQL is away. */
export async function targets(): Promise<Target[]> {
  return (await checkPostgres()) ? [postgresTarget, pgliteTarget] : [pgliteTarget];
}

export const migrationsFolder = new URL('../fixtures/drizzle', import.meta.url).pathname;
