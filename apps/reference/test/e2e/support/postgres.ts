// PostgreSQL for the end-to-end tests: is it there (under CI=true a silent server fails loudly), and
// an empty database of the test's own, created before and dropped (with its connections) after.
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';

export const postgresUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** True when PostgreSQL answers; under CI=true a silent server throws, naming it. */
export async function requirePostgres(file: string): Promise<boolean> {
  const sql = postgres(postgresUrl, { max: 1, connect_timeout: 3, onnotice: () => undefined });
  try {
    await sql`select 1`;
    return true;
  } catch (error) {
    const where = new URL(postgresUrl);
    const message = `${file}: PostgreSQL at ${where.host}${where.pathname} does not answer (${(error as Error).message}); set DATABASE_URL`;
    if (process.env.CI === 'true') throw new Error(message);
    console.warn(`${message}. Skipped (under CI=true this fails).`);
    return false;
  } finally {
    await sql.end({ timeout: 1 });
  }
}

/** An empty database for this test; `url` points at it. */
export async function emptyDatabase(label: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `reference_${label}_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = postgres(postgresUrl, { max: 1, onnotice: () => undefined });
  await admin.unsafe(`create database "${name}"`);
  const url = new URL(postgresUrl);
  url.pathname = `/${name}`;
  return {
    url: url.href,
    async drop() {
      await admin.unsafe(`drop database if exists "${name}" with (force)`);
      await admin.end({ timeout: 5 });
    },
  };
}
