import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import vectors from '../test/vectors/coercion.json' with { type: 'json' };
import { coercePart, coerceScalar, parseQuery } from './coercion.js';
import type { ScalarKind } from './field-kinds.js';
import { readFieldKinds } from './field-kinds.js';

describe('coerceScalar', () => {
  for (const vector of vectors) {
    it(`reads ${JSON.stringify(vector.text)} as ${vector.kind}${vector.keep ? ' (kept as text)' : ''}`, () => {
      const value = coerceScalar(vector.kind as ScalarKind, vector.text);
      if (vector.keep) expect(value).toBe(vector.text);
      else if ('date' in vector) expect((value as Date).toISOString()).toBe(vector.date);
      else if ('bigint' in vector) expect(value).toBe(BigInt(vector.bigint as string));
      else expect(value).toStrictEqual(vector.value);
    });
  }
});

describe('readFieldKinds', () => {
  it('reads the declared types of a zod object, through optional, default, union and array', () => {
    const kinds = readFieldKinds(
      z.object({
        page: z.number().int().optional(),
        size: z.number().default(10),
        draft: z.boolean(),
        since: z.date(),
        id: z.bigint(),
        tags: z.array(z.number()),
        mode: z.union([z.literal('all'), z.number()]),
        name: z.string(),
      }),
    );
    expect(Object.fromEntries(kinds)).toEqual({
      page: { kind: 'integer', array: false },
      size: { kind: 'number', array: false },
      draft: { kind: 'boolean', array: false },
      since: { kind: 'date', array: false },
      id: { kind: 'bigint', array: false },
      tags: { kind: 'number', array: true },
      mode: { kind: 'number', array: false },
      name: { kind: 'string', array: false },
    });
  });

  it('reads the declared types of a valibot object from its structure', () => {
    const kinds = readFieldKinds(
      v.object({
        page: v.optional(v.pipe(v.number(), v.integer())),
        draft: v.boolean(),
        since: v.date(),
        tags: v.optional(v.array(v.boolean())),
        name: v.string(),
      }),
    );
    expect(Object.fromEntries(kinds)).toEqual({
      page: { kind: 'integer', array: false },
      draft: { kind: 'boolean', array: false },
      since: { kind: 'date', array: false },
      tags: { kind: 'boolean', array: true },
      name: { kind: 'string', array: false },
    });
  });
});

describe('coercePart', () => {
  const kinds = readFieldKinds(z.object({ page: z.number(), tags: z.array(z.number()), q: z.string() }));

  it('makes arrays from repeated query keys and from a single value where the schema says array', () => {
    expect(coercePart(parseQuery('page=2&tags=1&tags=2&q=x&other=a&other=b'), kinds)).toEqual({
      page: 2,
      tags: [1, 2],
      q: 'x',
      other: ['a', 'b'],
    });
    expect(coercePart(parseQuery('tags=5'), kinds)).toEqual({ tags: [5] });
  });

  it('splits a comma-separated header into a list where the schema says array', () => {
    expect(coercePart({ tags: '1, 2,3' }, kinds, true)).toEqual({ tags: [1, 2, 3] });
  });

  it('keeps a __proto__ key as a plain own property', () => {
    const result = coercePart(parseQuery('__proto__=x&page=1'), kinds);
    expect(Object.getPrototypeOf(result)).toBe(Object.prototype);
    expect(Object.hasOwn(result, '__proto__')).toBe(true);
  });
});
