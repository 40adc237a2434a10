// The app's database: PostgreSQL when DATABASE_URL is set, else PGlite in DATA_DIR (a folder, or
// memory://), migrated from ./drizzle on every start and seeded with the demo user on the first.
import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDatabase, type DbLogger, migrate } from '@plinth/db';
import * as schema from './schema.js';
import type { AppDatabase } from './users.js';

/** The SQL migrations drizzle-kit generated; one folder up from src/ and from dist/ alike. */
export const migrationsFolder = fileURLToPath(new URL('../drizzle', import.meta.url));

/** Where the data lives: `url` (PostgreSQL) wins over `dataDir` (PGlite: a folder, or memory://). */
export interface DatabaseSettings {
  url?: string | undefined;
  dataDir: string;
  logger?: DbLogger;
}

/** The user every fresh database starts with, so GET /users/1 answers on a new clone. */
const demoUser = { name: 'Ada Lovelace', email: 'ada@example.com' };

/** Opens the database, applies pending migrations and seeds a database that was empty. */
export async function openDatabase({ url, dataDir, logger }: DatabaseSettings): Promise<AppDatabase> {
  const db = await createDatabase({
    url: url ?? (await preparedDataDir(dataDir)),
    schema,
    applicationName: 'plinth-reference',
    ...(logger && { logger }),
  });
  try {
    const { applied } = await migrate(db, { folder: migrationsFolder, ...(logger && { logger }) });
    // Only the process that created the users table seeds it: a restart, or a second instance that
    // found the migrations applied, never brings the demo user back.
    if (applied.some((name) => name.startsWith('0000_'))) {
      await db.insert(schema.users).values(demoUser);
    }
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
