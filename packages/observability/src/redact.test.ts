import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createRedactor, DEFAULT_REDACT_WORDS } from './redact.js';

const R = '[Redacted]';

describe('createRedactor', () => {
  const redact = createRedactor();

  const vectors = JSON.parse(
    readFileSync(new URL('../test/vectors/redaction.json', import.meta.url), 'utf8'),
  ) as { secret: string[]; not_secret: string[] };

  it.each(vectors.secret)('censors %s (the one rule, SEAMS §F)', (key) => {
    expect((redact({ [key]: 'v', nested: { [key]: 'w' } }) as Record<string, unknown>)[key]).toBe(R);
    expect(redact({ nested: { [key]: 'w' } })).toEqual({ nested: { [key]: R } });
  });

  it.each(vectors.not_secret)('leaves %s alone', (key) => {
    const input = { [key]: 'v', nested: { [key]: 'w' } };
    expect(redact(input)).toBe(input);
  });

  it('agrees with the plain rule (lower-case, drop - _ ., contains a word, or is "pan") for generated keys', () => {
    const words = [...DEFAULT_REDACT_WORDS];
    const pieces = [
      'a',
      'x',
      'Id',
      'on',
      'ey',
      'ke',
      'Y',
      'p',
      'An',
      'ss',
      'N',
      '-',
      '_',
      '.',
      'é',
      ...words,
    ];
    let seed = 7;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (let i = 0; i < 3000; i++) {
      let key = '';
      for (let j = 0, count = 1 + random(3); j < count; j++) key += pieces[random(pieces.length)];
      const normalized = key.toLowerCase().replace(/[-_.]/g, '');
      const expected = normalized === 'pan' || words.some((word) => normalized.includes(word));
      const output = redact({ [key]: 'v' }) as Record<string, unknown>;
      expect(output[key] === R, key).toBe(expected);
    }
  });

  it('returns the very same object when nothing is sensitive (copy-on-write)', () => {
    const input = { user: { id: 1, roles: ['a'] }, path: '/x' };
    expect(redact(input)).toBe(input);
  });

  it('censors at any depth without touching the original', () => {
    const input = { a: { b: { c: { d: { e: { f: { g: { password: 'deep' } } } } } } }, keep: 1 };
    const output = redact(input) as typeof input;
    expect(output.a.b.c.d.e.f.g.password).toBe(R);
    expect(input.a.b.c.d.e.f.g.password).toBe('deep');
    expect(output.keep).toBe(1);
  });

  it('censors inside arrays and arrays of arrays', () => {
    const output = redact({ users: [{ name: 'a', token: 'x' }, [{ secret: 'y' }]] });
    expect(output).toEqual({ users: [{ name: 'a', token: R }, [{ secret: R }]] });
  });

  it('serializes errors (any depth) and censors their own fields', () => {
    const error = Object.assign(new Error('upstream failed'), {
      config: { headers: { Authorization: 'Bearer leaked' } },
    });
    const output = redact({ nested: { failure: error } }) as { nested: { failure: Record<string, unknown> } };
    expect(output.nested.failure).toMatchObject({
      type: 'Error',
      message: 'upstream failed',
      config: { headers: { Authorization: R } },
    });
    expect(String(output.nested.failure.stack)).toContain('upstream failed');
    expect(JSON.stringify(output)).not.toContain('leaked');
  });

  it('reads fetch Headers objects as plain objects and censors them', () => {
    const headers = new Headers({ authorization: 'Bearer z', cookie: 'c=1', accept: 'text/html' });
    expect(redact({ headers })).toEqual({ headers: { authorization: R, cookie: R, accept: 'text/html' } });
  });

  it('censors node-style header objects with array values', () => {
    expect(redact({ headers: { 'set-cookie': ['a=1', 'b=2'], host: 'x' } })).toEqual({
      headers: { 'set-cookie': R, host: 'x' },
    });
  });

  it('breaks cycles, including a cycle that would reach a secret through the copy', () => {
    const input: Record<string, unknown> = { password: 'p', name: 'n' };
    input.self = input;
    const output = redact(input) as Record<string, unknown>;
    expect(output).toEqual({ password: R, name: 'n', self: '[Circular]' });
    expect(() => JSON.stringify(output)).not.toThrow();
  });

  it('keeps shared (non-cyclic) references', () => {
    const shared = { id: 1 };
    expect(redact({ a: shared, b: shared })).toEqual({ a: { id: 1 }, b: { id: 1 } });
  });

  it('truncates past maxDepth and maxNodes instead of writing unwalked data', () => {
    const shallow = createRedactor({ maxDepth: 2 });
    expect(shallow({ a: { b: { password: 'p' } } })).toEqual({ a: { b: '[Truncated]' } });
    // root, list, then two items fit the budget of 4 objects
    const small = createRedactor({ maxNodes: 4 });
    expect(small({ list: [{}, {}, {}, {}] })).toEqual({ list: [{}, {}, '[Truncated]', '[Truncated]'] });
  });

  it('censors class instances and calls toJSON the way JSON.stringify would', () => {
    class User {
      constructor(
        readonly name: string,
        readonly password: string,
      ) {}
    }
    const withToJson = { toJSON: () => ({ token: 'x', ok: true }) };
    expect(redact({ user: new User('a', 'b'), other: withToJson, when: new Date(0) })).toEqual({
      user: { name: 'a', password: R },
      other: { token: R, ok: true },
      when: '1970-01-01T00:00:00.000Z',
    });
  });

  it('adds custom keys and a custom censor', () => {
    const custom = createRedactor({ keys: ['ssn', 'credit-card'], censor: '***' });
    expect(custom({ ssn: '1', creditCard: '2', password: '3', name: 'n' })).toEqual({
      ssn: '***',
      creditCard: '***',
      password: '***',
      name: 'n',
    });
  });

  it('survives a throwing getter without leaking the object', () => {
    const hostile = {
      get boom(): string {
        throw new Error('getter exploded');
      },
      password: 'p',
    };
    expect(redact({ hostile })).toEqual({ redactionFailed: 'getter exploded' });
  });

  it('passes primitives through', () => {
    expect(redact('password')).toBe('password');
    expect(redact(null)).toBe(null);
    expect(redact(undefined)).toBe(undefined);
  });
});
