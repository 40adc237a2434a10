import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError, configErrorCodes, isConfigError } from './errors.js';

describe('ConfigError', () => {
  it('has unique codes, each listed in the README error table', () => {
    expect(new Set(configErrorCodes).size).toBe(configErrorCodes.length);
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    for (const code of configErrorCodes)
      expect(readme).toMatch(new RegExp(`^\\|\\s*\`${code}\`\\s*\\|`, 'm'));
  });

  it('carries its code, issues and cause', () => {
    const cause = new Error('disk');
    const error = new ConfigError('ERR_CONFIG_SOURCE', 'cannot read', { cause });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('ConfigError');
    expect(error.code).toBe('ERR_CONFIG_SOURCE');
    expect(error.issues).toEqual([]);
    expect(error.cause).toBe(cause);
  });

  it('is recognised across package copies by name and code', () => {
    const foreign = Object.assign(new Error('x'), { name: 'ConfigError', code: 'ERR_CONFIG_INVALID' });
    expect(isConfigError(foreign)).toBe(true);
    expect(isConfigError(Object.assign(new Error('x'), { name: 'ConfigError', code: 'ERR_OTHER' }))).toBe(
      false,
    );
    expect(isConfigError(new ConfigError('ERR_CONFIG_ASYNC', 'x'))).toBe(true);
  });
});
