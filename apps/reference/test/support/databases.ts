// The databases the API suite runs on: PGlite in memory, and a database of its own on the PostgreSQL
// server at DATABASE_URL, created for one test file and dropped after it.
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { type AppDatabase, openDatabase } from '../../src/database.js';

/** A migrated database for one test file, and how to remove it. */
export interface TestDatabase {
  db: AppDatabase;
  drop(): Promise<void>;
}

/** PGlite in memory, migrated as on a first start. */
export async function pgliteDatabase(): Promise<TestDatabase> {
  const db = await openDatabase({ dataDir: 'memory://' });
  return { db, drop: () => db.close() };
}

/** The server the PostgreSQL runs use; CI sets DATABASE_URL, the default is the local one. */
export const serverUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

const display = (url: string) => {
  const parsed = new URL(url);
  parsed.password = '';
  return `${parsed.host}${parsed.pathname}`;
};

/**
 * Whether PostgreSQL answers at {@link serverUrl}. Under CI=true a silent server is an error naming
 * it; locally the PostgreSQL runs are skipped with a notice.
 */
export async function postgresAvailable(): Promise<boolean> {
  const sql = postgres(serverUrl, { max: 1, connect_timeout: 3, onnotice: () => {} });
  try {
    await sql`select 1`;
    return true;
  } catch (error) {
    const message = `PostgreSQL at ${display(serverUrl)} does not answer (${(error as Error).message}); set DATABASE_URL to a server the tests may create databases on.`;
    if (process.env.CI === 'true') throw new Error(message);
    console.warn(`skipping the PostgreSQL runs of apps/reference: ${message}`);
    return false;
  } finally {
    await sql.end({ timeout: 1 });
  }
}

/** A fresh database on the server, migrated by the app itself; dropped (with its connections) by `drop`. */
export async function postgresDatabase(label: string): Promise<TestDatabase> {
  const name = `reference_${label}_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}"`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  try {
    const db = await openDatabase({ url: url.href, dataDir: 'unused' });
    return {
      db,
      drop: async () => {
        await db.close();
        await admin.unsafe(`drop database if exists "${name}" with (force)`);
        await admin.end({ timeout: 5 });
      },
    };
  } catch (error) {
    await admin.unsafe(`drop database if exists "${name}" with (force)`);
    await admin.end({ timeout: 5 });
    throw error;
  }
}
