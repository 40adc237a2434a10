// PostgreSQL at DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test): skipped with a notice
// locally when it does not answer, a failure naming it under CI=true.
import postgres from 'postgres';

export const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A connected client, or undefined (with a notice) when PostgreSQL is down outside CI. */
export async function connectPostgres(): Promise<postgres.Sql | undefined> {
  const client = postgres(databaseUrl, { max: 2, connect_timeout: 3, onnotice: () => undefined });
  try {
    await client`select 1`;
    return client;
  } catch (error) {
    await client.end({ timeout: 1 });
    if (process.env.CI === 'true')
      throw new Error(`PostgreSQL at ${databaseUrl} does not answer (CI=true requires it): ${String(error)}`);
    console.warn(`[auth] PostgreSQL at ${databaseUrl} does not answer: skipping the drizzle cases.`);
    return undefined;
  }
}
