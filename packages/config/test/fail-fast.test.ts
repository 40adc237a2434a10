// An app that loads its configuration at start stops there, printing every problem and no secret.

import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

function start(env: Record<string, string>) {
  return spawnSync(
    process.execPath,
    ['--import', 'tsx', join(import.meta.dirname, 'fixtures/start-app.ts')],
    {
      cwd: join(import.meta.dirname, '..'),
      encoding: 'utf8',
      timeout: 30_000,
      env: { PATH: process.env.PATH, ...env },
    },
  );
}

describe('failing fast at start', { timeout: 60_000 }, () => {
  it('exits non-zero with one error listing every problem, without the secret', () => {
    const child = start({ PORT: 'abc', DATABASE_URL: 'not-a-url', DB_PASSWORD: 'tiny-secret' });
    expect(child.status).toBe(1);
    expect(child.stdout).toBe('');
    expect(child.stderr).toContain('ConfigError: Invalid configuration (3 invalid):');
    expect(child.stderr).toContain(
      '  - DATABASE_URL: expected URL, received "not-a-url" from environment: Invalid URL',
    );
    expect(child.stderr).toContain(
      '  - DB_PASSWORD: expected string, value hidden (secret, from environment)',
    );
    expect(child.stderr).toContain(
      '  - PORT: expected integer, received "abc" from environment: not an integer',
    );
    expect(child.stderr).toContain("code: 'ERR_CONFIG_INVALID'");
    expect(child.stderr).not.toContain('tiny-secret');
  });

  it('starts when the configuration is valid', () => {
    const child = start({ DATABASE_URL: 'postgres://db/app', DB_PASSWORD: 'long-enough-secret' });
    expect(child.stderr).toBe('');
    expect(child.stdout).toBe('listening on 3000\n');
    expect(child.status).toBe(0);
  });
});
