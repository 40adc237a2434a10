import fc from 'fast-check';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ValidationError } from './errors.js';
import { createSerializer, serialize } from './serializer.js';

const Item = z.object({ sku: z.string(), qty: z.number().int(), tags: z.array(z.string()).optional() });
const Order = z.object({
  id: z.string(),
  total: z.number(),
  paid: z.boolean(),
  createdAt: z.date(),
  serial: z.bigint(),
  note: z.string().nullable(),
  coupon: z.string().optional(),
  priority: z.number().default(3),
  status: z.enum(['open', 'closed']),
  items: z.array(Item),
  owner: z.object({ name: z.string(), address: z.object({ city: z.string() }) }),
  labels: z.record(z.string(), z.number()),
  pair: z.tuple([z.string(), z.number()]),
  anything: z.unknown(),
  either: z.union([z.string(), z.object({ code: z.number() })]),
});

const order = {
  id: 'o-1',
  total: 12.5,
  paid: true,
  createdAt: new Date('2026-01-02T03:04:05.000Z'),
  serial: 9007199254740993n,
  note: null,
  status: 'open',
  items: [
    { sku: 'a', qty: 1, passwordHash: 'leak', tags: ['x'] },
    { sku: 'b', qty: 2, internal: { secret: true } },
  ],
  owner: { name: 'Ada', passwordHash: 'leak', address: { city: 'London', apiKey: 'leak' } },
  labels: { a: 1 },
  pair: ['p', 2],
  anything: { free: 'form' },
  either: { code: 7, hidden: 'leak' },
  passwordHash: 'leak',
};

describe('createSerializer', () => {
  for (const compile of [true, false]) {
    describe(compile ? 'compiled' : 'interpreted', () => {
      const write = createSerializer(Order, { compile });

      it('drops every field the schema does not name, at any depth and in arrays', () => {
        const json = write(order as never);
        expect(json).not.toContain('leak');
        expect(json).not.toContain('internal');
        expect(JSON.parse(json)).toEqual({
          id: 'o-1',
          total: 12.5,
          paid: true,
          createdAt: '2026-01-02T03:04:05.000Z',
          serial: '9007199254740993',
          note: null,
          priority: 3,
          status: 'open',
          items: [
            { sku: 'a', qty: 1, tags: ['x'] },
            { sku: 'b', qty: 2 },
          ],
          owner: { name: 'Ada', address: { city: 'London' } },
          labels: { a: 1 },
          pair: ['p', 2],
          anything: { free: 'form' },
          either: { code: 7 },
        });
      });

      it('refuses a value of the wrong type with a code and the place', () => {
        const bad = { ...order, items: [{ sku: 'a', qty: 'one' }] };
        expect(() => write(bad as never)).toThrow(ValidationError);
        try {
          write(bad as never);
        } catch (error) {
          expect((error as ValidationError).code).toBe('ERR_VALIDATION_OUTPUT_MISMATCH');
          expect((error as Error).message).toContain('/items/*/qty');
        }
      });

      it('refuses a missing required field', () => {
        const { id: _id, ...rest } = order;
        expect(() => write(rest as never)).toThrow(/no value at \/id/);
      });
    });
  }

  it('writes the same JSON compiled and interpreted, and the same as JSON.stringify of the parsed value', () => {
    const Simple = z.object({
      name: z.string(),
      count: z.number(),
      flag: z.boolean().optional(),
      list: z.array(z.object({ k: z.string(), n: z.number().nullable() })),
    });
    const compiled = createSerializer(Simple);
    const interpreted = createSerializer(Simple, { compile: false });
    const value = fc.record({
      name: fc.string({ unit: 'binary' }),
      count: fc.double({ noNaN: true, noDefaultInfinity: true }),
      flag: fc.option(fc.boolean(), { nil: undefined }),
      list: fc.array(fc.record({ k: fc.string(), n: fc.option(fc.integer()), extra: fc.string() })),
      extra: fc.anything(),
    });
    fc.assert(
      fc.property(value, (input) => {
        const json = compiled(input);
        expect(json).toBe(interpreted(input));
        expect(json).toBe(JSON.stringify(Simple.parse(input)));
      }),
      { numRuns: 300 },
    );
  });

  it('writes strings, numbers and dates exactly as JSON.stringify does, escapes and edge values included', () => {
    const Row = z.object({
      text: z.string(),
      maybe: z.string().optional(),
      note: z.string().nullable(),
      amount: z.number(),
      at: z.date(),
      lines: z.array(z.object({ label: z.string(), price: z.number() })),
      tags: z.array(z.string()),
    });
    // Quotes, backslashes, controls, lone and paired surrogates, short and long (the regex path).
    const text = fc.oneof(
      fc.string({ unit: 'binary' }),
      fc.string({ unit: fc.constantFrom('"', '\\', '\n', '\u0000', '\ud800', '\udfff', '😀', 'a', 'é') }),
      fc.string({ minLength: 42, maxLength: 90, unit: fc.constantFrom('"', 'a', '\udc00', ' ') }),
    );
    const amount = fc.oneof(
      fc.double(),
      fc.constantFrom(NaN, Infinity, -Infinity, -0, 0.1 + 0.2, 16.990000000000002),
      fc.integer({ min: -(10 ** 9), max: 10 ** 9 }).map((cents) => cents / 100),
    );
    const at = fc.oneof(
      fc.date({ min: new Date(-1e15), max: new Date(1e15) }),
      fc.constantFrom(
        new Date(Number.NaN),
        new Date('0000-01-01T00:00:00.000Z'),
        new Date('+010000-01-01T00:00:00.005Z'),
      ),
    );
    const row = fc.record(
      {
        text,
        maybe: text,
        note: fc.option(text, { nil: null }),
        amount,
        at,
        lines: fc.array(fc.record({ label: text, price: amount })),
        tags: fc.array(text),
      },
      { requiredKeys: ['text', 'note', 'amount', 'at', 'lines', 'tags'] },
    );
    const compiled = createSerializer(Row);
    const interpreted = createSerializer(Row, { compile: false });
    fc.assert(
      fc.property(row, (value) => {
        const expected = JSON.stringify(value);
        expect(compiled(value)).toBe(expected);
        expect(interpreted(value)).toBe(expected);
      }),
      { numRuns: 1000 },
    );
  });

  it('writes an invalid Date as null, and years outside 0–9999 with their sign, as JSON.stringify does', () => {
    const Stamp = z.object({ at: z.date(), list: z.array(z.date()) });
    const dates = [
      '-000001-12-31T23:59:59.999Z',
      '0000-01-01T00:00:00.000Z',
      '0999-02-03T04:05:06.007Z',
      '2026-12-01T13:05:09.050Z',
      '9999-12-31T23:59:59.999Z',
      '+010000-01-01T00:00:00.000Z',
    ].map((iso) => new Date(iso));
    const value = { at: new Date(Number.NaN), list: dates };
    for (const compile of [true, false]) {
      expect(createSerializer(Stamp, { compile })(value)).toBe(JSON.stringify(value));
    }
  });

  it('places commas and braces right whatever members are absent', () => {
    const Shape = z.object({
      a: z.string().optional(),
      b: z.number(),
      c: z.string().optional(),
      d: z.object({ x: z.string().optional(), y: z.string().optional() }),
      e: z.array(z.object({ p: z.number().optional() })),
    });
    const values = [
      { b: 1, d: {}, e: [] },
      { a: 'a', b: 1, c: 'c', d: { x: 'x' }, e: [{}, { p: 1 }] },
      { b: 2, c: 'c', d: { y: 'y' }, e: [{ p: 2 }, {}] },
      { a: 'a', b: 3, d: { x: 'x', y: 'y' }, e: [{}] },
    ];
    for (const compile of [true, false]) {
      const write = createSerializer(Shape, { compile });
      for (const value of values) expect(write(value)).toBe(JSON.stringify(value));
    }
  });

  it('puts hostile property names into generated code only as escaped literals', () => {
    const names = ['"];process.exit(1);//', "'+1+'", '__proto__', 'a\u2028b', '\ud800', '$' + '{x}', '\\'];
    const Hostile = z.object(Object.fromEntries(names.map((name) => [name, z.string()])));
    const value = Object.fromEntries(names.map((name) => [name, name]));
    Object.defineProperty(value, '__proto__', { value: '__proto__', enumerable: true });
    const json = createSerializer(Hostile)(value as never);
    expect(json).toBe(createSerializer(Hostile, { compile: false })(value as never));
    expect(JSON.parse(json)).toEqual(JSON.parse(JSON.stringify(value)));
  });

  it('writes a valibot schema through validate, dropping unknown fields', () => {
    const User = v.object({ id: v.string(), profile: v.object({ name: v.string() }) });
    expect(
      serialize(User, { id: '1', secret: 'x', profile: { name: 'A', passwordHash: 'x' } } as never),
    ).toBe('{"id":"1","profile":{"name":"A"}}');
  });

  it('applies transforms through the schema and writes recursive schemas', () => {
    const Category = z.object({
      name: z.string().transform((name) => name.toUpperCase()),
      get children() {
        return z.array(Category);
      },
    });
    expect(
      serialize(Category, { name: 'a', x: 1, children: [{ name: 'b', children: [], y: 2 }] } as never),
    ).toBe('{"name":"A","children":[{"name":"B","children":[]}]}');
  });
});
