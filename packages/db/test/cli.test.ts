// plinth-db: migrate, status and create, run through the CLI's main() with real databases and a
// real drizzle-kit; it never prompts under CI.
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../src/cli.js';
import { migrationFolder, writeMigrations } from './support/migration-folder.js';
import { targets } from './support/targets.js';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const postgresTarget = (await targets()).find((target) => target.name === 'postgres');

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => out.push(String(chunk)) > 0);
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => err.push(String(chunk)) > 0);
  return { stdout: () => out.join(''), stderr: () => err.join('') };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('plinth-db', () => {
  it('prints usage and exits 2 without a command, or with an unknown one', async () => {
    const io = capture();
    expect(await main([])).toBe(2);
    expect(await main(['deploy'])).toBe(2);
    expect(io.stdout()).toContain('plinth-db migrate');
    expect(io.stderr()).toContain('unknown command "deploy"');
  });

  it('asks for DATABASE_URL when there is none', async () => {
    const io = capture();
    expect(await main(['migrate'], packageDir, {})).toBe(1);
    expect(io.stderr()).toContain('Set DATABASE_URL');
    expect(io.stderr()).toContain('[ERR_DB_INVALID_URL]');
  });

  it.runIf(postgresTarget !== undefined)(
    'migrates, then lists applied and pending, and flags an edited file',
    async () => {
      const url = await postgresTarget!.createUrl!();
      const dir = migrationFolder({ '0000_a.sql': 'create table a (id integer);' });
      let io = capture();
      expect(await main(['migrate', '--dir', dir], packageDir, { DATABASE_URL: url })).toBe(0);
      expect(io.stdout()).toContain('applied 0000_a');
      writeMigrations(dir, { '0001_b.sql': 'create table b (id integer);' });
      vi.restoreAllMocks();
      io = capture();
      expect(await main(['status', '--dir', dir, '--url', url], packageDir, {})).toBe(0);
      expect(io.stdout()).toMatch(/^applied {2}0000_a {2}\d{4}-/m);
      expect(io.stdout()).toContain('pending  0001_b');
      writeMigrations(dir, { '0000_a.sql': 'create table a (id bigint);' });
      vi.restoreAllMocks();
      io = capture();
      expect(await main(['status', '--dir', dir, '--url', url], packageDir, {})).toBe(1);
      expect(io.stdout()).toContain('CHANGED  0000_a');
      expect(await main(['migrate', '--dir', dir, '--url', url], packageDir, {})).toBe(1);
      expect(io.stderr()).toContain('[ERR_DB_MIGRATION_CHANGED]');
    },
  );
});

describe('plinth-db create', () => {
  const work = mkdtempSync(join(tmpdir(), 'plinth-db-create-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('generates SQL from the schema with drizzle-kit under CI, then an empty custom migration', async () => {
    const out = join(work, 'drizzle');
    const config = join(work, 'drizzle.config.json');
    writeFileSync(
      config,
      // drizzle-kit wants `out` relative to the working directory.
      JSON.stringify({
        dialect: 'postgresql',
        schema: './test/fixtures/schema.ts',
        out: relative(packageDir, out),
      }),
    );
    const env = { ...process.env, CI: 'true' };
    expect(await main(['create', 'init', '--config', config], packageDir, env)).toBe(0);
    expect(await main(['create', 'seed', '--config', config, '--custom'], packageDir, env)).toBe(0);
    expect(readdirSync(out).filter((name) => name.endsWith('.sql'))).toEqual([
      '0000_init.sql',
      '0001_seed.sql',
    ]);
    expect(existsSync(join(out, 'meta', '_journal.json'))).toBe(true);
  });

  it('refuses a migration name that is not a plain identifier', async () => {
    const io = capture();
    expect(await main(['create', '../evil'], packageDir, {})).toBe(1);
    expect(io.stderr()).toContain('letters, digits and _');
  });
});
