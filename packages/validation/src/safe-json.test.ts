import { describe, expect, it } from 'vitest';
import { RequestBodyError } from './errors.js';
import { assertSafeValue, parseJsonBytes, parseJsonText } from './safe-json.js';

const limits = { maxBytes: 1024, maxDepth: 8 };

function failure(run: () => unknown): RequestBodyError {
  try {
    run();
  } catch (error) {
    if (error instanceof RequestBodyError) return error;
    throw error;
  }
  throw new Error('expected a RequestBodyError');
}

describe('parseJsonText', () => {
  for (const key of ['__proto__', 'constructor', 'prototype']) {
    it(`refuses a "${key}" key at the top, deep down and inside arrays`, () => {
      for (const text of [
        `{"${key}":{"admin":true}}`,
        `{"a":{"b":[{"c":1},{"${key}":1}]}}`,
        `[[{"${key}":null}]]`,
      ]) {
        const error = failure(() => parseJsonText(text, limits));
        expect(error.status).toBe(400);
        expect(error.code).toBe('MALFORMED_BODY');
        expect(error.message).toContain(key);
      }
    });
  }

  it('refuses a __proto__ key spelled with \\u escapes', () => {
    expect(failure(() => parseJsonText('{"\\u005f_proto__":{"x":1}}', limits)).code).toBe('MALFORMED_BODY');
    expect(failure(() => parseJsonText('{"\\u0063onstructor":1}', limits)).code).toBe('MALFORMED_BODY');
    expect(failure(() => parseJsonText('{"con\\u0073tructor":1}', limits)).code).toBe('MALFORMED_BODY');
    expect(failure(() => parseJsonText('[{"prot\\u006ftype":1}]', limits)).code).toBe('MALFORMED_BODY');
  });

  it('accepts those words as values and inside longer keys', () => {
    expect(parseJsonText('{"name":"__proto__","constructorName":"prototype"}', limits)).toEqual({
      name: '__proto__',
      constructorName: 'prototype',
    });
  });

  it('refuses nesting past the limit, and accepts it at the limit', () => {
    expect(failure(() => parseJsonText(`${'['.repeat(9)}${']'.repeat(9)}`, limits)).message).toMatch(
      /deeper than 8/,
    );
    expect(parseJsonText(`${'['.repeat(8)}${']'.repeat(8)}`, limits)).toBeInstanceOf(Array);
    const deep = `${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}`;
    expect(failure(() => parseJsonText(deep, { maxBytes: 1e7, maxDepth: 64 })).code).toBe('MALFORMED_BODY');
  });

  it('does not count brackets inside strings as nesting', () => {
    expect(parseJsonText(`{"a":"${'['.repeat(50)}\\"${'{'.repeat(50)}"}`, limits)).toHaveProperty('a');
  });

  it('names the position of a syntax error without quoting the input', () => {
    const error = failure(() => parseJsonText('{"password":"hunter2",}', limits));
    expect(error.message).toMatch(/not valid JSON/);
    expect(error.message).not.toContain('hunter2');
  });
});

describe('parseJsonBytes', () => {
  it('answers 413 past the size limit', () => {
    const error = failure(() => parseJsonBytes(new Uint8Array(1025).fill(0x20), limits));
    expect([error.status, error.code]).toEqual([413, 'CONTENT_TOO_LARGE']);
  });

  it('answers 400 for invalid UTF-8 instead of replacing it', () => {
    const bytes = new Uint8Array([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0x22, 0x7d]);
    const error = failure(() => parseJsonBytes(bytes, limits));
    expect([error.status, error.code]).toEqual([400, 'MALFORMED_BODY']);
    expect(error.message).toContain('UTF-8');
  });

  it('reads valid UTF-8 with multi-byte characters', () => {
    expect(parseJsonBytes(new TextEncoder().encode('{"name":"Zoë 😀"}'), limits)).toEqual({ name: 'Zoë 😀' });
  });
});

describe('assertSafeValue', () => {
  it('refuses a forbidden key and excess depth in a value parsed elsewhere', () => {
    expect(() => assertSafeValue(JSON.parse('{"a":[{"__proto__":1}]}'), limits)).toThrow(RequestBodyError);
    let deep: unknown = 1;
    for (let index = 0; index < 20; index++) deep = [deep];
    expect(() => assertSafeValue(deep, limits)).toThrow(/deeper than 8/);
    expect(() => assertSafeValue({ a: [1, { b: 2 }] }, limits)).not.toThrow();
  });
});
