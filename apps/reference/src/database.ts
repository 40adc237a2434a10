// The app's database: PostgreSQL when DATABASE_URL is set, else PGlite in DATA_DIR (a folder, or
// memory://), migrated from ./drizzle on every start, before the server listens.
import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDatabase, type Database, type DbLogger, migrate } from '@plinth/db';
import * as schema from './schema.js';

/** The database the app works on: its schema, on PGlite or PostgreSQL. */
export type AppDatabase = Database<typeof schema>;

/** The SQL migrations drizzle-kit generated; one folder up from src/ and from dist/ alike. */
export const migrationsFolder = fileURLToPath(new URL('../drizzle', import.meta.url));

/** Where the data lives: `url` (PostgreSQL) wins over `dataDir` (PGlite: a folder, or memory://). */
export interface DatabaseSettings {
  url?: string | undefined;
  dataDir: string;
  logger?: DbLogger;
}

/** Opens the database and applies pending migrations (under @plinth/db's advisory lock). */
export async function openDatabase({ url, dataDir, logger }: DatabaseSettings): Promise<AppDatabase> {
  const db = await createDatabase({
    url: url ?? (await preparedDataDir(dataDir)),
    schema,
    applicationName: 'plinth-reference',
    ...(logger && { logger }),
  });
  try {
    await migrate(db, { folder: migrationsFolder, ...(logger && { logger }) });
    return db;
  } catch (error) {
    await db.close();
    throw error;
  }
}

async function preparedDataDir(dataDir: string): Promise<string> {
  if (dataDir === 'memory://') return dataDir;
  const folder = resolve(dataDir);
  await mkdir(folder, { recursive: true });
  return folder;
}
