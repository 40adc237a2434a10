// Concurrent deploys on PostgreSQL: three real processes call migrate() at once and each migration
// is applied exactly once; a held lock makes migrate() give up after lockTimeout with a clear error.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { describe, expect, it } from 'vitest';
import { createDatabase, DbError, migrate } from '../src/index.js';
import { migrationFolder } from './support/migration-folder.js';
import { checkPostgres, type Target, targets } from './support/targets.js';

const postgresTarget = (await targets()).find((target) => target.name === 'postgres');
const child = fileURLToPath(new URL('./support/migrate-child.ts', import.meta.url));

// Each migration appends to `ledger`: a migration run twice would leave its number twice.
const folder = migrationFolder({
  '0000_ledger.sql':
    'create table ledger (migration integer not null, at timestamptz not null default clock_timestamp());',
  '0001_slow.sql':
    'select pg_sleep(0.5);\n--> statement-breakpoint\ninsert into ledger (migration) values (1);',
  '0002_next.sql': 'insert into ledger (migration) values (2);',
});

function runChild(
  url: string,
  startAt: number,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const process_ = spawn(process.execPath, ['--import', 'tsx', child, url, folder], {
      env: { ...process.env, START_AT: String(startAt) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    process_.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    process_.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    process_.on('error', reject);
    process_.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe.runIf(postgresTarget !== undefined && (await checkPostgres()))(
  'migrate() across processes on postgres',
  () => {
    const target = postgresTarget as Target;

    it('applies each migration exactly once when three processes migrate at the same moment', async () => {
      const url = await target.createUrl!();
      // Node and tsx take a few seconds to start here: meet at one instant well after all are up.
      const startAt = Date.now() + 8000;
      const results = await Promise.all([
        runChild(url, startAt),
        runChild(url, startAt),
        runChild(url, startAt),
      ]);
      for (const result of results) expect(result, result.stderr).toMatchObject({ code: 0 });
      const applied = results.flatMap(
        (result) => (JSON.parse(result.stdout) as { applied: string[] }).applied,
      );
      expect(applied.sort()).toEqual(['0000_ledger', '0001_slow', '0002_next']);
      const client = postgres(url, { max: 1 });
      try {
        expect((await client`select migration from ledger order by at`).map((row) => row.migration)).toEqual([
          1, 2,
        ]);
        expect((await client`select name from plinth_migrations order by id`).map((row) => row.name)).toEqual(
          ['0000_ledger', '0001_slow', '0002_next'],
        );
      } finally {
        await client.end();
      }
    });

    it('gives up with ERR_DB_MIGRATION_LOCKED when another process holds the lock past lockTimeout', async () => {
      const url = await target.createUrl!();
      const first = await createDatabase({ url });
      const second = await createDatabase({ url });
      try {
        const slowFolder = migrationFolder({ '0000_wait.sql': 'select pg_sleep(1.5);' });
        const running = migrate(first, { folder: slowFolder });
        // Wait until the first holds the lock (visible in pg_locks), then contend. Only this
        // test's own database counts: other test files and packages take advisory locks of their
        // own on the same server at the same time (under turbo in CI).
        let held = false;
        for (let tries = 0; tries < 100 && !held; tries++) {
          const rows = await second.execute(
            sql`select 1 from pg_locks where locktype = 'advisory' and granted and database = (select oid from pg_database where datname = current_database())`,
          );
          held = (rows as unknown[]).length > 0;
          if (!held) await new Promise((resolve) => setTimeout(resolve, 50));
        }
        expect(held, 'the first migrate() never took the advisory lock').toBe(true);
        const error = await migrate(second, { folder: slowFolder, lockTimeout: 200 }).then(
          () => undefined,
          (caught: unknown) => caught,
        );
        expect(error).toBeInstanceOf(DbError);
        expect(error).toMatchObject({ code: 'ERR_DB_MIGRATION_LOCKED' });
        expect((error as Error).message).toContain('200 ms');
        expect(await running).toEqual({ applied: ['0000_wait'] });
        // The lock timeout did not stay on the pooled connection: the next migrate() just runs.
        expect(await migrate(second, { folder: slowFolder, lockTimeout: 200 })).toEqual({ applied: [] });
      } finally {
        await Promise.all([first.close(), second.close()]);
      }
    });
  },
);
