// postgres and @electric-sql/pglite are optional peers: each path loads only its own, and a missing
// one is named with the command that installs it. Each case is a child process.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, inject, it } from 'vitest';
import { databaseUrl, targets } from './support/targets.js';

const run = promisify(execFile);
const script = fileURLToPath(new URL('./support/open-and-query.mjs', import.meta.url));
const hook = fileURLToPath(new URL('./support/block-module.mjs', import.meta.url));
const hasPostgres = (await targets()).some((target) => target.name === 'postgres');

async function openWithout(blocked: string, url?: string): Promise<{ code: number; stdout: string }> {
  try {
    const { stdout } = await run(
      process.execPath,
      ['--import', 'tsx', '--import', hook, script, ...(url ? [url] : [])],
      {
        env: { ...process.env, BLOCK_MODULE: blocked, PGLITE_DUMP: inject('pgliteDump') },
      },
    );
    return { code: 0, stdout };
  } catch (error) {
    return { code: (error as { code: number }).code, stdout: (error as { stdout: string }).stdout };
  }
}

describe('optional peers', () => {
  it('opens PGlite with postgres not installed', async () => {
    expect(await openWithout('postgres')).toEqual({ code: 0, stdout: 'pglite\n' });
  });

  it.runIf(hasPostgres)('opens PostgreSQL with @electric-sql/pglite not installed', async () => {
    expect(await openWithout('@electric-sql/pglite', databaseUrl)).toEqual({ code: 0, stdout: 'postgres\n' });
  });

  it('names the missing peer and the command to add it', async () => {
    const { code, stdout } = await openWithout('postgres', 'postgres://localhost/app');
    expect(code).toBe(1);
    expect(stdout).toContain('ERR_DB_DRIVER_MISSING');
    expect(stdout).toContain('pnpm add postgres');
  });
});
