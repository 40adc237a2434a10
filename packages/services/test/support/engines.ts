// The two engines the drizzle tests run on: PostgreSQL (DATABASE_URL; each test file works in a
// schema of its own, created here and dropped after the file, since other packages' tests share
// the server) and PGlite (loaded from the dump of global-setup.ts). Without PostgreSQL the tests
// run on PGlite alone with a notice, except under CI=true, where that fails naming the server.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { afterAll, inject } from 'vitest';

export const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export type TestDb = PgDatabase<PgQueryResultHKT>;

/** One engine: `open()` gives a fresh database (PGlite) or a fresh schema (PostgreSQL). */
export interface Engine {
  name: 'postgres' | 'pglite';
  open(options?: { max?: number }): Promise<TestDb>;
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
        `[@plinth/services] PostgreSQL at ${databaseUrl} does not answer: skipping the PostgreSQL runs (set DATABASE_URL).`,
      );
      return false;
    } finally {
      await sql.end({ timeout: 1 });
    }
  })();
  return postgresAnswers;
}

const closers: Array<() => Promise<unknown>> = [];
const schemas: string[] = [];
let admin: postgres.Sql | undefined;

afterAll(async () => {
  for (const close of closers.splice(0).reverse()) await close().catch(() => {});
  for (const schema of schemas.splice(0)) await admin?.unsafe(`drop schema if exists "${schema}" cascade`);
  await admin?.end({ timeout: 1 });
  admin = undefined;
});

/** A new schema on the PostgreSQL server, dropped after the file. */
export async function createSchema(): Promise<string> {
  admin ??= postgres(databaseUrl, { max: 1, onnotice: () => {} });
  const schema = `plinth_services_${randomBytes(6).toString('hex')}`;
  await admin.unsafe(`create schema "${schema}"`);
  schemas.push(schema);
  return schema;
}

/** A postgres.js client whose search_path is `schema`. */
export function postgresClient(schema: string, max = 5): postgres.Sql {
  const client = postgres(databaseUrl, { max, onnotice: () => {}, connection: { search_path: schema } });
  closers.push(() => client.end({ timeout: 1 }));
  return client;
}

export const postgresEngine: Engine = {
  name: 'postgres',
  async open({ max = 5 } = {}) {
    return drizzlePostgres({ client: postgresClient(await createSchema(), max) }) as unknown as TestDb;
  },
};

export const pgliteEngine: Engine = {
  name: 'pglite',
  async open() {
    const pg = await PGlite.create({ loadDataDir: new Blob([readFileSync(inject('pgliteDump'))]) });
    closers.push(() => pg.close());
    return drizzlePglite({ client: pg }) as unknown as TestDb;
  },
};

/** The engines to run on: both, or PGlite alone when PostgreSQL is away (a notice says so). */
export async function engines(): Promise<Engine[]> {
  return (await checkPostgres()) ? [postgresEngine, pgliteEngine] : [pgliteEngine];
}
