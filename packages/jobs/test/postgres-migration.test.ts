// Forward migration of the PostgreSQL driver: a jobs table made by an earlier release (text columns in
// the database's collation) is upgraded in place on first use, its jobs kept and still usable.
import type { Sql } from 'postgres';
import { afterAll, describe, expect, it } from 'vitest';
import { fillfactor } from '../src/drivers/postgres-sql.js';
import { postgresDriver } from '../src/postgres.js';
import { postgresClient, postgresUp, testSchema } from './support/servers.js';

// The table and indexes as release 0.0.x created them.
const earlierLayout = (schema: string) => [
  `CREATE SCHEMA "${schema}"`,
  `CREATE TABLE "${schema}".jobs (
    queue text NOT NULL,
    id text NOT NULL,
    name text NOT NULL,
    payload jsonb NOT NULL,
    state text NOT NULL CHECK (state IN ('waiting', 'active', 'completed', 'dead')),
    priority integer NOT NULL,
    attempts integer NOT NULL DEFAULT 0,
    max_attempts integer NOT NULL,
    run_at bigint NOT NULL,
    created_at bigint NOT NULL,
    seq bigserial NOT NULL,
    group_key text,
    dedupe_key text,
    debounce_key text,
    token text,
    lease_until bigint,
    started_at bigint,
    finished_at bigint,
    progress jsonb,
    result jsonb,
    error text,
    PRIMARY KEY (queue, id)
  )`,
  `CREATE INDEX jobs_due ON "${schema}".jobs (queue, priority DESC, run_at, seq) WHERE state = 'waiting'`,
  `CREATE INDEX jobs_lease ON "${schema}".jobs (queue, lease_until) WHERE state = 'active'`,
  `CREATE UNIQUE INDEX jobs_dedupe ON "${schema}".jobs (queue, dedupe_key)
    WHERE dedupe_key IS NOT NULL AND state IN ('waiting', 'active')`,
  `CREATE UNIQUE INDEX jobs_debounce ON "${schema}".jobs (queue, debounce_key)
    WHERE debounce_key IS NOT NULL AND state = 'waiting'`,
  `CREATE INDEX jobs_finished ON "${schema}".jobs (queue, state, finished_at) WHERE state IN ('completed', 'dead')`,
  `INSERT INTO "${schema}".jobs (queue, id, name, payload, state, priority, max_attempts, run_at, created_at,
      attempts, token, lease_until, dedupe_key)
    VALUES
      ('q', 'waiting-1', 'work', '{"n":1}', 'waiting', 0, 3, 1000, 1000, 0, NULL, NULL, NULL),
      ('q', 'active-1', 'work', '{"n":2}', 'active', 0, 3, 1000, 1000, 1, 'old-token', 99999999999999, 'key-1')`,
];

describe.skipIf(!postgresUp)('PostgreSQL driver migrations', () => {
  const sql = postgresUp ? postgresClient(4) : (undefined as unknown as Sql);
  const schema = testSchema('migration');
  afterAll(async () => {
    await sql?.unsafe(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await sql?.end();
  });

  const collations = async () =>
    Object.fromEntries(
      (
        await sql.unsafe(
          `SELECT a.attname, c.collname FROM pg_attribute a JOIN pg_collation c ON c.oid = a.attcollation
           WHERE a.attrelid = '"${schema}".jobs'::regclass AND a.attname IN ('queue', 'id', 'state')`,
        )
      ).map((row) => [row.attname as string, row.collname as string]),
    );
  const indexFiles = async () =>
    (
      await sql.unsafe(
        `SELECT relname, relfilenode FROM pg_class WHERE relnamespace = '"${schema}"'::regnamespace
           AND relkind = 'i' ORDER BY relname`,
      )
    ).map((row) => `${row.relname}:${row.relfilenode}`);

  const fillfactorOf = async (name: string) =>
    (
      await sql.unsafe(
        `SELECT o.option FROM pg_class c, unnest(c.reloptions) AS o(option)
         WHERE c.oid = '"${name}".jobs'::regclass AND o.option LIKE 'fillfactor=%'`,
      )
    ).map((row) => row.option as string);

  it('upgrades a table of an earlier release in place, once, keeping its jobs usable', async () => {
    for (const statement of earlierLayout(schema)) await sql.unsafe(statement);
    expect(Object.values(await collations())).not.toContain('C');

    const driver = postgresDriver({ sql, schema, now: () => 5000 });
    expect((await driver.counts('q')).waiting).toBe(1);
    expect(await collations()).toEqual({ queue: 'C', id: 'C', state: 'C' });
    // Room on each page for a job's claimed and finished versions, as a new table has.
    expect(await fillfactorOf(schema)).toEqual([`fillfactor=${fillfactor}`]);

    // The jobs of the earlier release: a waiting one is claimed, an active one completes with its token,
    // and its dedupe key is still held.
    const [claimed] = await driver.claim('q', { limit: 5, leaseMs: 1000 });
    expect(claimed).toMatchObject({ id: 'waiting-1', payload: { n: 1 }, attempts: 1 });
    expect(
      await driver.add('q', [
        {
          id: 'other',
          name: 'work',
          payload: null,
          priority: 0,
          maxAttempts: 3,
          key: { mode: 'dedupe', value: 'key-1', windowMs: 0 },
        },
      ]),
    ).toEqual([{ id: 'active-1', added: false }]);
    expect(await driver.complete('q', 'active-1', 'old-token', { done: true })).toBe(true);
    expect(await driver.get('q', 'active-1')).toMatchObject({ state: 'completed', result: { done: true } });
    await driver.close();

    // A later start finds the table upgraded and rebuilds nothing.
    const before = await indexFiles();
    expect(before.map((entry) => entry.split(':')[0])).toEqual(
      [
        'jobs_debounce',
        'jobs_dedupe',
        'jobs_due',
        'jobs_finished',
        'jobs_lease',
        'jobs_pkey',
        'throttles_pkey',
        'group_rates_pkey',
      ].sort(),
    );
    const again = postgresDriver({ sql, schema });
    expect((await again.counts('q')).completed).toBe(1);
    expect(await indexFiles()).toEqual(before);
    await again.close();
  });

  it('creates its table with room on each page, and keeps a fillfactor someone chose', async () => {
    const fresh = `${schema}_fresh`;
    const chosen = `${schema}_chosen`;
    try {
      const driver = postgresDriver({ sql, schema: fresh });
      await driver.counts('q');
      expect(await fillfactorOf(fresh)).toEqual([`fillfactor=${fillfactor}`]);
      await driver.close();

      await sql.unsafe(`CREATE SCHEMA "${chosen}"`);
      await sql.unsafe(
        `CREATE TABLE "${chosen}".jobs (LIKE "${fresh}".jobs INCLUDING ALL) WITH (fillfactor = 90)`,
      );
      const theirs = postgresDriver({ sql, schema: chosen });
      expect((await theirs.counts('q')).waiting).toBe(0);
      expect(await fillfactorOf(chosen)).toEqual(['fillfactor=90']);
      await theirs.close();
    } finally {
      await sql.unsafe(`DROP SCHEMA IF EXISTS "${fresh}" CASCADE`);
      await sql.unsafe(`DROP SCHEMA IF EXISTS "${chosen}" CASCADE`);
    }
  });
});
