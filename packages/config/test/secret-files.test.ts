// Mounted secrets with real files: NAME_FILE indirection and a directory of secret files.

import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { loadConfig, loadConfigAsync, secretFileVariable, secretsDirSource } from '../src/index.js';
import { allFields } from './all-fields.js';
import { configFailure } from './config-failure.js';
import { tempDir } from './temp-dir.js';

const schema = z.object({ DB_PASSWORD: z.string(), PORT: z.number().default(3000) });

describe('NAME_FILE secrets', () => {
  it('reads the file into NAME, trimming one trailing newline', () => {
    const dir = tempDir({ db_password: 'p@ss word\n\n' });
    const config = loadConfig({
      schema,
      envFiles: false,
      env: { DB_PASSWORD_FILE: join(dir, 'db_password') },
    });
    expect(config.DB_PASSWORD).toBe('p@ss word\n');
  });

  it('trims a trailing CRLF and keeps a file without newline as is', () => {
    const dir = tempDir({ crlf: 'windows\r\n', bare: 'bare' });
    expect(
      loadConfig({ schema, envFiles: false, env: { DB_PASSWORD_FILE: join(dir, 'crlf') } }).DB_PASSWORD,
    ).toBe('windows');
    expect(
      loadConfig({ schema, envFiles: false, env: { DB_PASSWORD_FILE: join(dir, 'bare') } }).DB_PASSWORD,
    ).toBe('bare');
  });

  it('coerces a value read from a file like any other', () => {
    const dir = tempDir({ port: '8443\n' });
    const config = loadConfig({
      schema,
      envFiles: false,
      env: { PORT_FILE: join(dir, 'port'), DB_PASSWORD: 'x' },
    });
    expect(config.PORT).toBe(8443);
  });

  it('treats values read from files as secrets', () => {
    const dir = tempDir({ pw: 'hunter2-hunter2\n' });
    const config = loadConfig({ schema, envFiles: false, env: { DB_PASSWORD_FILE: join(dir, 'pw') } });
    expect(JSON.stringify(config)).not.toContain('hunter2');
    expect(inspect(config)).not.toContain('hunter2');
  });

  it('resolves a relative path against cwd', () => {
    const cwd = tempDir({ 'secrets/pw': 'relative\n' });
    expect(
      loadConfig({ schema, cwd, envFiles: false, env: { DB_PASSWORD_FILE: 'secrets/pw' } }).DB_PASSWORD,
    ).toBe('relative');
  });

  it('accepts NAME_FILE in a .env file, and lets the environment NAME win over it', () => {
    const cwd = tempDir({ '.env': 'DB_PASSWORD_FILE=./pw\n', pw: 'from-file\n' });
    expect(loadConfig({ schema, cwd, env: {} }).DB_PASSWORD).toBe('from-file');
    expect(loadConfig({ schema, cwd, env: { DB_PASSWORD: 'from-env' } }).DB_PASSWORD).toBe('from-env');
  });

  it('rejects NAME and NAME_FILE set together in one source', () => {
    const dir = tempDir({ pw: 'x' });
    const error = configFailure(() =>
      loadConfig({
        schema,
        envFiles: false,
        env: { DB_PASSWORD: 'plain', DB_PASSWORD_FILE: join(dir, 'pw') },
      }),
    );
    expect(error.message).toContain('both DB_PASSWORD and DB_PASSWORD_FILE are set; set only one of them');
    expect(error.message).not.toContain('plain');
  });

  it('keeps a declared variable ending in _FILE as a plain value', () => {
    const config = loadConfig({
      schema: z.object({ LOG: z.string().default('on'), LOG_FILE: z.string() }),
      envFiles: false,
      env: { LOG_FILE: '/var/log/app.log' },
    });
    expect(config).toEqual({ LOG: 'on', LOG_FILE: '/var/log/app.log' });
  });

  it('reports a missing file clearly, with the path and what to do', () => {
    const error = configFailure(() =>
      loadConfig({ schema, envFiles: false, env: { DB_PASSWORD_FILE: '/run/secrets/absent' } }),
    );
    expect(error.code).toBe('ERR_CONFIG_INVALID');
    expect(error.issues).toEqual([
      expect.objectContaining({
        key: 'DB_PASSWORD',
        kind: 'invalid',
        source: 'DB_PASSWORD_FILE in environment',
      }),
    ]);
    expect(error.message).toContain(
      'cannot read /run/secrets/absent (ENOENT): the file does not exist; check the mount or the path',
    );
  });

  it('reports a directory given as the file', () => {
    const dir = tempDir({ 'nested/x': 'x' });
    const error = configFailure(() =>
      loadConfig({ schema, envFiles: false, env: { DB_PASSWORD_FILE: join(dir, 'nested') } }),
    );
    expect(error.message).toContain('(EISDIR): it is a directory; point it at the file inside');
  });

  it('reports a file the process may not read (EACCES)', { timeout: 60_000 }, () => {
    const dir = tempDir({ pw: 'top-secret-value\n' });
    chmodSync(dir, 0o755);
    chmodSync(join(dir, 'pw'), 0o600);
    // root reads any file, so as root the child drops to "nobody" before it reads the secret.
    const asRoot = process.getuid?.() === 0;
    if (!asRoot) chmodSync(join(dir, 'pw'), 0o000);
    const script = join(import.meta.dirname, 'fixtures/load-secret-file.ts');
    const child = spawnSync(process.execPath, ['--import', 'tsx', script], {
      cwd: join(import.meta.dirname, '..'),
      env: {
        PATH: process.env.PATH,
        DB_PASSWORD_FILE: join(dir, 'pw'),
        ...(asRoot ? { RUN_AS_UID: '65534' } : {}),
      },
      encoding: 'utf8',
      timeout: 45_000,
    });
    expect(child.stderr).toBe('');
    expect(child.stdout).toContain('ERR_CONFIG_INVALID');
    expect(child.stdout).toContain(
      '(EACCES): permission denied; make it readable by the user the process runs as',
    );
    expect(child.stdout).not.toContain('top-secret-value');
  });
});

describe('secrets directory', () => {
  it('maps file names to variable names', () => {
    expect(secretFileVariable('db_password')).toBe('DB_PASSWORD');
    expect(secretFileVariable('api-key.txt')).toBe('API_KEY_TXT');
    expect(secretFileVariable('DB_PASSWORD')).toBe('DB_PASSWORD');
  });

  it('reads db_password into DB_PASSWORD, trimmed, redacted, below the environment', () => {
    const secretsDir = tempDir({ db_password: 'from-dir\n', port: '9000\n' });
    const config = loadConfig({ schema, envFiles: false, secretsDir, env: {} });
    expect(allFields(config)).toEqual({ DB_PASSWORD: 'from-dir', PORT: 9000 });
    expect(JSON.parse(JSON.stringify(config))).toEqual({ DB_PASSWORD: '[redacted]', PORT: '[redacted]' });
    const overridden = loadConfig({ schema, envFiles: false, secretsDir, env: { DB_PASSWORD: 'env' } });
    expect(overridden.DB_PASSWORD).toBe('env');
  });

  it('wins over .env files', () => {
    const secretsDir = tempDir({ db_password: 'from-dir' });
    const cwd = tempDir({ '.env': 'DB_PASSWORD=from-dotenv\n' });
    expect(loadConfig({ schema, cwd, secretsDir, env: {} }).DB_PASSWORD).toBe('from-dir');
  });

  it('follows a Kubernetes secret volume: symlinks into ..data, hidden entries skipped', () => {
    const secretsDir = tempDir({ '..2026_11_25/db_password': 'k8s-secret', '..2026_11_25/other': 'x' });
    symlinkSync('..2026_11_25', join(secretsDir, '..data'));
    symlinkSync('..data/db_password', join(secretsDir, 'db_password'));
    mkdirSync(join(secretsDir, 'subdir'));
    expect(secretsDirSource(secretsDir).load()).toEqual({ DB_PASSWORD: 'k8s-secret' });
    expect(loadConfig({ schema, envFiles: false, secretsDir, env: {} }).DB_PASSWORD).toBe('k8s-secret');
  });

  it('reads only the files the schema declares', () => {
    const secretsDir = tempDir({ db_password: 'pw', unrelated: 'x' });
    mkdirSync(join(secretsDir, 'port'));
    expect(secretsDirSource(secretsDir).load(['DB_PASSWORD'])).toEqual({ DB_PASSWORD: 'pw' });
  });

  it('treats a missing directory as empty', () => {
    expect(secretsDirSource('/nonexistent/run/secrets').load()).toEqual({});
  });

  it('fails with ERR_CONFIG_SOURCE when a secret file cannot be read', () => {
    const secretsDir = tempDir({ 'db_password/inner': 'x' });
    mkdirSync(join(secretsDir, 'port_x'));
    // A directory named like a declared variable is skipped; a dangling symlink is not readable.
    symlinkSync(join(secretsDir, 'absent'), join(secretsDir, 'port'));
    const error = configFailure(() =>
      loadConfig({ schema, envFiles: false, secretsDir, env: { DB_PASSWORD: 'x' } }),
    );
    expect(error.code).toBe('ERR_CONFIG_SOURCE');
    expect(error.message).toContain(
      `Cannot read the secret file ${join(secretsDir, 'port')} (for PORT): ENOENT`,
    );
  });

  it('is read the same way by loadConfigAsync', async () => {
    const secretsDir = tempDir({ db_password: 'from-dir\n' });
    const cwd = tempDir({ '.env': 'PORT_FILE=./port\n', port: '7000\n' });
    const definition = { schema, cwd, secretsDir, env: {} };
    expect(allFields(await loadConfigAsync(definition))).toEqual(allFields(loadConfig(definition)));
    expect(allFields(await loadConfigAsync(definition))).toEqual({ DB_PASSWORD: 'from-dir', PORT: 7000 });
  });
});
