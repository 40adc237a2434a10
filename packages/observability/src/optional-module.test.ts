import { describe, expect, it } from 'vitest';
import { loadOptional } from './optional-module.js';

describe('loadOptional', () => {
  it('loads an installed module', () => {
    expect(typeof loadOptional<(options: object) => unknown>('pino-pretty')).toBe('function');
  });

  it('answers undefined for a module that is not installed', () => {
    expect(loadOptional('a-module-that-is-not-installed-xyz')).toBeUndefined();
  });

  it('throws when the module is there but broken, or misses a dependency of its own', () => {
    expect(() => loadOptional('../test/fixtures/broken-module.cjs')).toThrow('broken on purpose');
    expect(() => loadOptional('../test/fixtures/missing-dependency.cjs')).toThrow(
      /a-dependency-that-is-missing-xyz/,
    );
  });
});
