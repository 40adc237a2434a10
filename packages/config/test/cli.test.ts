// The plinth-config CLI, run as a real child process (under tsx, as a TypeScript user would).

import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from './temp-dir.js';

const packageDir = join(import.meta.dirname, '..');

function cli(...args: string[]) {
  const child = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
    cwd: packageDir,
    encoding: 'utf8',
    timeout: 30_000,
    env: { PATH: process.env.PATH, DB_PASSWORD: 'must-not-appear-anywhere' },
  });
  return { status: child.status, stdout: child.stdout, stderr: child.stderr };
}

// Each case starts Node with tsx (about a second, more on a busy machine): give them room.
describe('plinth-config example', { timeout: 90_000 }, () => {
  it('prints the .env.example of a named export to stdout', () => {
    const { status, stdout, stderr } = cli('example', 'test/fixtures/config-definition.ts', 'definition');
    expect(stderr).toBe('');
    expect(status).toBe(0);
    expect(stdout).toContain(
      '# The port the HTTP server listens on.\n# integer, optional, default: 3000\n# PORT=3000',
    );
    expect(stdout).toContain('# PostgreSQL connection string.\n# URL, optional\nDATABASE_URL=');
    expect(stdout).toContain('# TIMEOUT=30s');
    expect(stdout).toContain(
      '# Password of the app database user.\n# secret, string, required\nDB_PASSWORD=\n',
    );
    expect(stdout).not.toContain('must-not-appear-anywhere');
  });

  it('accepts an exported schema as well as a definition', () => {
    const { status, stdout } = cli('example', 'test/fixtures/config-definition.ts', 'schema');
    expect(status).toBe(0);
    expect(stdout).toContain('# secret, string, required\nDB_PASSWORD=');
  });

  it('writes to --out', () => {
    const out = join(tempDir(), '.env.example');
    const { status, stdout, stderr } = cli(
      'example',
      'test/fixtures/config-definition.ts',
      'definition',
      '--out',
      out,
    );
    expect(status).toBe(0);
    expect(stdout).toBe('');
    expect(stderr).toBe(`plinth-config: wrote ${out}\n`);
    expect(readFileSync(out, 'utf8')).toContain('LOG_LEVEL=info');
  });

  it('picks the only definition when no export is named', () => {
    const { status, stdout } = cli('example', 'test/fixtures/single-definition.mjs');
    expect(status).toBe(0);
    expect(stdout).toContain('# string, required\nREGION=\n\n# string, required\nBUCKET=\n');
  });

  it('asks for an export name when several are definitions', () => {
    const { status, stderr } = cli('example', 'test/fixtures/config-definition.ts');
    expect(status).toBe(1);
    expect(stderr).toContain('exports several definitions (definition, schema); name one');
  });

  it('names the exports when the export is missing or not a definition', () => {
    expect(cli('example', 'test/fixtures/config-definition.ts', 'nope').stderr).toContain(
      'has no export named nope; it exports: definition, notADefinition, schema',
    );
    expect(cli('example', 'test/fixtures/config-definition.ts', 'notADefinition').stderr).toContain(
      'the export notADefinition of test/fixtures/config-definition.ts is not a definition',
    );
  });

  it('reports a module that does not exist', () => {
    const { status, stderr } = cli('example', 'test/fixtures/absent.ts');
    expect(status).toBe(1);
    expect(stderr).toContain('cannot find the module test/fixtures/absent.ts');
  });

  it('prints the usage with exit code 2 for wrong arguments, and 0 for --help', () => {
    const wrong = cli('generate');
    expect(wrong.status).toBe(2);
    expect(wrong.stderr).toContain('plinth-config: unknown command generate');
    expect(wrong.stderr).toContain('Usage: plinth-config example <module> [export] [--out <file>]');
    expect(cli('example').stderr).toContain('missing <module>');
    expect(cli('example', 'x.ts', '--out').stderr).toContain('--out needs a file name');
    const help = cli('--help');
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('Usage: plinth-config');
  });
});
