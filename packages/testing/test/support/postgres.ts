// PostgreSQL for the integration tests: DATABASE_URL or the local default; skipped with a notice
// when it does not answer, a failure naming the server under CI=true.
import postgres from 'postgres';

export const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** An admin connection to the server, or undefined (with a notice) when it does not answer. */
export async function connectAdmin(): Promise<postgres.Sql | undefined> {
  const sql = postgres(databaseUrl, { max: 2, connect_timeout: 3, onnotice: () => {} });
  try {
    await sql`select 1`;
    return sql;
  } catch (error) {
    await sql.end({ timeout: 1 }).catch(() => {});
    const message = `PostgreSQL at ${databaseUrl.replace(/\/\/[^@]*@/, '//…@')} does not answer (${(error as Error).message})`;
    if (process.env.CI === 'true')
      throw new Error(`${message}; CI needs it: start PostgreSQL or set DATABASE_URL.`);
    console.warn(`${message}: skipping the PostgreSQL tests.`);
    return undefined;
  }
}

/** A database name unique to this test file and process. */
export function uniqueName(label: string): string {
  return `plinth_testing_${label}_${process.pid}_${Date.now().toString(36)}`;
}
