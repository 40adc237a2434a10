// Files that must not stall or swell the start: /dev/zero, a FIFO nobody writes to, a huge file, read
// as a .env file or as NAME_FILE; and an empty NAME_FILE, which must not hide NAME.

import { execFile, execFileSync } from 'node:child_process';
import { truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { loadConfig, readSecretFile, secretsDirSource } from '../src/index.js';
import { configFailure } from './config-failure.js';
import { tempDir } from './temp-dir.js';

const schema = z.object({ DB_PASSWORD: z.string(), PORT: z.number().default(3000) });
const mebibyte = 1024 * 1024;

/** Runs the fixture in a child process, cut after 20 s: a blocking read shows up as "timed out". */
function readInChild(mode: 'env-file' | 'name-file', path: string): Promise<string> {
  const script = join(import.meta.dirname, 'fixtures/read-special-file.ts');
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--max-old-space-size=256', '--import', 'tsx', script, mode, path],
      { cwd: join(import.meta.dirname, '..'), timeout: 20_000, encoding: 'utf8' },
      (error, stdout) => resolve(error?.killed === true ? 'timed out' : stdout || String(error)),
    );
  });
}

function makeFifo(): string {
  const path = join(tempDir(), 'secret.fifo');
  execFileSync('mkfifo', [path]);
  return path;
}

describe('an empty NAME_FILE', () => {
  it('does not hide NAME in the same source', () => {
    const env = { DB_PASSWORD_FILE: '', DB_PASSWORD: 'from-env' };
    expect(loadConfig({ schema, envFiles: false, env }).DB_PASSWORD).toBe('from-env');
    expect(loadConfig({ schema, envFiles: false, env, emptyAsUnset: false }).DB_PASSWORD).toBe('from-env');
  });

  it('does not hide NAME set by a lower source', () => {
    const cwd = tempDir({ '.env': 'DB_PASSWORD=from-dotenv\n' });
    const config = loadConfig({ schema, cwd, env: { DB_PASSWORD_FILE: '' } });
    expect(config.DB_PASSWORD).toBe('from-dotenv');
  });

  it('still reports NAME missing when nothing sets it', () => {
    const error = configFailure(() => loadConfig({ schema, envFiles: false, env: { DB_PASSWORD_FILE: '' } }));
    expect(error.issues.map((issue) => [issue.key, issue.kind])).toEqual([['DB_PASSWORD', 'missing']]);
  });
});

describe('file size limits', () => {
  it('refuses a .env file over 1 MiB by default, and reads it under a raised maxFileSize', () => {
    const cwd = tempDir({ '.env': `BIG=${'x'.repeat(mebibyte)}\nDB_PASSWORD=from-dotenv\n` });
    const error = configFailure(() => loadConfig({ schema, cwd, env: {} }));
    expect(error.code).toBe('ERR_CONFIG_FILE_TOO_LARGE');
    expect(error.message).toContain('.env');
    expect(error.message).toContain('over the 1 MiB limit');
    expect(error.message).toContain('maxFileSize');
    const config = loadConfig({ schema, cwd, env: {}, maxFileSize: 2 * mebibyte });
    expect(config.DB_PASSWORD).toBe('from-dotenv');
  });

  it('refuses a huge sparse NAME_FILE by its size without reading it', () => {
    const path = join(tempDir(), 'db_password');
    writeFileSync(path, '');
    truncateSync(path, 8 * 1024 * mebibyte); // 8 GiB of holes: reading it would exhaust memory
    const error = configFailure(() =>
      loadConfig({ schema, envFiles: false, env: { DB_PASSWORD_FILE: path } }),
    );
    expect(error.code).toBe('ERR_CONFIG_FILE_TOO_LARGE');
    expect(error.message).toContain(`DB_PASSWORD_FILE (${path}) is 8192 MiB`);
  });

  it('accepts a file of exactly maxFileSize bytes and refuses one byte more', () => {
    const dir = tempDir({ exact: '0123456789abcdef', over: '0123456789abcdefX' });
    expect(readSecretFile(join(dir, 'exact'), { maxFileSize: 16 })).toBe('0123456789abcdef');
    expect(() => readSecretFile(join(dir, 'over'), { maxFileSize: 16 })).toThrow(
      expect.objectContaining({ code: 'ERR_CONFIG_FILE_TOO_LARGE' }),
    );
  });

  it('applies the limit to the files of a secrets directory', () => {
    const secretsDir = tempDir({ db_password: 'a-long-enough-secret' });
    expect(() => secretsDirSource(secretsDir, { maxFileSize: 8 }).load()).toThrow(
      expect.objectContaining({
        code: 'ERR_CONFIG_FILE_TOO_LARGE',
        message: expect.stringContaining('The secret file for DB_PASSWORD'),
      }),
    );
    const config = loadConfig({ schema, envFiles: false, env: {}, secretsDir, maxFileSize: 64 });
    expect(config.DB_PASSWORD).toBe('a-long-enough-secret');
  });

  it.each([0, -1, 1.5, Number.NaN, '1MB'])(
    'refuses maxFileSize %s when the definition is made',
    (maxFileSize) => {
      const error = configFailure(() =>
        loadConfig({ schema, envFiles: false, env: {}, maxFileSize: maxFileSize as number }),
      );
      expect(error.code).toBe('ERR_CONFIG_DEFINITION');
      expect(error.message).toContain('maxFileSize');
    },
  );
});

describe('special files, read in a child process cut after 20 s', () => {
  it('fails fast on /dev/zero as a .env file and as NAME_FILE', async () => {
    const [asEnvFile, asNameFile] = await Promise.all([
      readInChild('env-file', '/dev/zero'),
      readInChild('name-file', '/dev/zero'),
    ]);
    expect(asEnvFile).toMatch(/^ERR_CONFIG_FILE_TOO_LARGE\n\/dev\/zero \(.*\) is more than 1 MiB/);
    expect(asNameFile).toMatch(
      /^ERR_CONFIG_FILE_TOO_LARGE\nDB_PASSWORD_FILE \(\/dev\/zero\) is more than 1 MiB/,
    );
  });

  it('fails fast on a FIFO nobody writes to, as a .env file and as NAME_FILE', async () => {
    const [asEnvFile, asNameFile] = await Promise.all([
      readInChild('env-file', makeFifo()),
      readInChild('name-file', makeFifo()),
    ]);
    expect(asEnvFile).toMatch(/^ERR_CONFIG_NOT_A_FILE\n.* is a FIFO, not a file: .*regular file/);
    expect(asNameFile).toMatch(/^ERR_CONFIG_NOT_A_FILE\nDB_PASSWORD_FILE \(.*\) is a FIFO/);
  });
});
