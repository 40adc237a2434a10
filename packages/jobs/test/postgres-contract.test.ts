// The PostgreSQL driver against the QueueDriver contract, on a real PostgreSQL in a schema of its own.
import type { Sql } from 'postgres';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { postgresDriver } from '../src/drivers/postgres.js';
import { runDriverContract } from '../src/testing.js';
import { postgresClient, postgresUp, testSchema } from './support/servers.js';

describe.skipIf(!postgresUp)('postgres', () => {
  const sql = postgresUp ? postgresClient() : (undefined as unknown as Sql);
  const schema = testSchema('contract');
  afterAll(async () => {
    await sql?.unsafe(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await sql?.end();
  });
  runDriverContract({ describe, it, expect, afterEach }, 'postgres', {
    create: ({ now }) => postgresDriver({ sql, schema, now }),
  });
});
