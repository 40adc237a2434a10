import { describe, expect, it } from 'vitest';
import { err, ok, type Result, unwrap } from './result.js';

describe('Result', () => {
  it('carries a value or an error, told apart by ok', () => {
    const good: Result<number, string> = ok(3);
    const bad: Result<number, string> = err('nope');
    expect(good).toEqual({ ok: true, value: 3 });
    expect(bad).toEqual({ ok: false, error: 'nope' });
    expect(ok()).toEqual({ ok: true, value: undefined });
  });

  it('unwraps a success and throws the error of a failure', () => {
    expect(unwrap(ok('x'))).toBe('x');
    const error = new Error('failed');
    expect(() => unwrap(err(error))).toThrow(error);
  });
});
