import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { compileCheck, unsure } from './schema-check.js';

const Line = z.object({
  sku: z.string(),
  qty: z.number().int().min(1).max(10),
  price: z.number().positive(),
  discounted: z.boolean(),
});

const schemas = {
  order: z.object({
    id: z.string(),
    status: z.enum(['open', 'paid']),
    note: z.string().nullable(),
    lines: z.array(Line),
  }),
  wide: z.strictObject({
    name: z.string().min(2).max(5),
    email: z.email(), // a format: validated by the schema itself
    code: z.string().trim(), // an overwrite: the schema's output is used
    kind: z.literal('a'),
    count: z.int(),
    ratio: z.number().gte(0).lt(1).optional(),
    tags: z.array(z.string()).min(1).max(3),
    nested: z.object({ flag: z.boolean().nullable().optional() }).nullable(),
  }),
};

// Values near a schema: mostly the declared types, often not, with keys missing and keys added.
function near(schema: unknown): fc.Arbitrary<unknown> {
  const def = (schema as { _zod: { def: Record<string, unknown> } })._zod.def;
  const wrong = fc.oneof(
    fc.constant(null),
    fc.integer(),
    fc.string(),
    fc.boolean(),
    fc.constant([]),
    fc.constant({}),
  );
  const right = ((): fc.Arbitrary<unknown> => {
    switch (def.type) {
      case 'string':
        return fc.oneof(
          fc.string({ unit: 'binary', maxLength: 7 }),
          fc.constantFrom(' ab ', 'a@b.co', 'x', '😀'),
        );
      case 'number':
        return fc.oneof(
          { weight: 3, arbitrary: fc.integer({ min: -2, max: 12 }) },
          { weight: 1, arbitrary: fc.double() },
          { weight: 1, arbitrary: fc.constantFrom(0.5, 2 ** 53, -0) },
        );
      case 'boolean':
        return fc.boolean();
      case 'enum':
        return fc.constantFrom(...Object.values(def.entries as object), 'other');
      case 'literal':
        return fc.constantFrom(...(def.values as unknown[]), 'b');
      case 'nullable':
        return fc.oneof(fc.constant(null), near(def.innerType));
      case 'optional':
        return near(def.innerType);
      case 'array':
        return fc.array(near(def.element), { maxLength: 4 });
      case 'object': {
        const shape = def.shape as Record<string, unknown>;
        const members = Object.fromEntries(Object.entries(shape).map(([key, member]) => [key, near(member)]));
        return fc
          .tuple(
            fc.record(members, { requiredKeys: [] }),
            fc.record(members),
            fc.oneof(
              { weight: 6, arbitrary: fc.constant(null) },
              { weight: 1, arbitrary: fc.constantFrom('extra', '__proto__', 'constructor') },
            ),
            fc.integer({ min: 0, max: 9 }),
          )
          .map(([some, all, extra, pick]) => {
            const value: Record<string, unknown> = { ...(pick < 7 ? all : some) };
            if (extra !== null) Object.defineProperty(value, extra, { value: 1, enumerable: true });
            return value;
          });
      }
      default:
        return wrong;
    }
  })();
  return fc.oneof({ weight: 12, arbitrary: right }, { weight: 1, arbitrary: wrong });
}

// A valid value with one member replaced by a value near its schema, or dropped.
function oneOff(schema: z.ZodObject, valid: Record<string, unknown>): fc.Arbitrary<unknown> {
  const shape = schema.shape as Record<string, unknown>;
  return fc.constantFrom(...Object.keys(shape)).chain((key) =>
    fc.option(near(shape[key]), { freq: 8 }).map((member) => {
      const value = { ...valid };
      if (member === null) delete value[key];
      else value[key] = member;
      return value;
    }),
  );
}

const valid = {
  order: { id: 'o', status: 'open', note: null, lines: [{ sku: 's', qty: 1, price: 1, discounted: true }] },
  wide: { name: 'abc', email: 'a@b.co', code: ' x', kind: 'a', count: 1, tags: ['t'], nested: {} },
};

const keysDeep = (value: unknown): unknown =>
  typeof value === 'object' && value !== null
    ? Object.entries(value).map(([key, member]) => [key, keysDeep(member)])
    : value;

describe('compileCheck', () => {
  for (const [name, schema] of Object.entries(schemas)) {
    it(`accepts only what zod accepts, with zod's output and key order (${name})`, () => {
      const check = compileCheck(schema);
      expect(check).toBeTypeOf('function');
      let accepted = 0;
      fc.assert(
        fc.property(fc.oneof(near(schema), oneOff(schema, valid[name as keyof typeof valid])), (value) => {
          const checked = check?.(value);
          const result = schema['~standard'].validate(value);
          if (result instanceof Promise) throw new Error('zod answered asynchronously');
          if (checked === unsure) return;
          accepted++;
          if (result.issues !== undefined) throw new Error('accepted what zod refuses');
          expect(checked).toStrictEqual(result.value);
          expect(keysDeep(checked)).toStrictEqual(keysDeep(result.value));
        }),
        { numRuns: 1000 },
      );
      expect(accepted).toBeGreaterThan(100);
    });

    it(`given JSON.parse's own output, answers zod's output, the value itself where it is already that (${name})`, () => {
      const check = compileCheck(schema);
      let reused = 0;
      fc.assert(
        fc.property(fc.oneof(near(schema), oneOff(schema, valid[name as keyof typeof valid])), (value) => {
          const text = JSON.stringify(value);
          if (text === undefined) return;
          const owned = JSON.parse(text);
          const checked = check?.(owned, true);
          const result = schema['~standard'].validate(JSON.parse(text));
          if (result instanceof Promise) throw new Error('zod answered asynchronously');
          expect(JSON.stringify(owned)).toBe(text);
          if (checked === unsure) return;
          if (result.issues !== undefined) throw new Error('accepted what zod refuses');
          expect(checked).toStrictEqual(result.value);
          expect(keysDeep(checked)).toStrictEqual(keysDeep(result.value));
          if (checked === owned) reused++;
        }),
        { numRuns: 1000 },
      );
      // wide's optional member and trimmed string always make a copy: only the order can be reused.
      if (name === 'order') expect(reused).toBeGreaterThan(20);
    });
  }

  it('vouches for a valid body and builds a fresh output without unknown keys', () => {
    const check = compileCheck(schemas.order);
    const body = JSON.parse(
      '{"id":"o","status":"paid","note":null,"extra":1,"lines":[{"sku":"a","qty":2,"price":1.5,"discounted":false,"x":0}]}',
    );
    const output = check?.(body);
    expect(output).toStrictEqual(schemas.order.parse(body));
    expect(output).not.toBe(body);
  });

  it('answers an owned body that is exactly the output as it is, and copies one with unknown keys', () => {
    const check = compileCheck(schemas.order);
    const exact = JSON.parse(
      '{"id":"o","status":"paid","note":null,"lines":[{"sku":"a","qty":2,"price":1.5,"discounted":false}]}',
    );
    expect(check?.(exact, true)).toBe(exact);
    expect(check?.(exact)).not.toBe(exact);
    const extra = JSON.parse(
      '{"id":"o","status":"paid","note":null,"lines":[{"sku":"a","qty":2,"price":1.5,"discounted":false},{"sku":"b","qty":1,"price":1,"discounted":true,"x":0}]}',
    );
    const output = check?.(extra, true) as { lines: unknown[] };
    expect(output).toStrictEqual(schemas.order.parse(extra));
    expect(output).not.toBe(extra);
    expect(output.lines[0]).toBe(extra.lines[0]);
    expect(output.lines[1]).not.toHaveProperty('x');
    expect(extra.lines[1]).toHaveProperty('x', 0);
  });

  it('leaves to the schema what it cannot vouch for', () => {
    const check = compileCheck(schemas.wide);
    const base = {
      name: 'ab',
      email: 'a@b.co',
      code: ' x ',
      kind: 'a',
      count: 1,
      tags: ['t'],
      nested: null,
    };
    expect(check?.(base)).toStrictEqual({ ...base, code: 'x' });
    expect(check?.({ ...base, email: 'no' })).toBe(unsure);
    expect(check?.({ ...base, extra: 1 })).toBe(unsure); // strict: unknown keys are zod's to report
    expect(check?.({ ...base, count: 1.5 })).toBe(unsure);
    expect(check?.({ ...base, ratio: undefined })).toBe(unsure);
    expect(check?.({ ...base, tags: [] })).toBe(unsure);
  });

  it('compiles nothing for what it does not model', () => {
    expect(compileCheck(z.union([z.string(), z.number()]))).toBeUndefined();
    expect(compileCheck(z.object({ a: z.string().default('x') }))).toBeUndefined();
    expect(compileCheck(z.object({ a: z.string().transform((text) => text.length) }))).toBeUndefined();
    expect(compileCheck(z.looseObject({ a: z.string() }))).toBeUndefined();
    expect(compileCheck(z.object({ a: z.string().refine(async (text) => text !== 'x') }))).toBeUndefined();
    expect(compileCheck(z.object({ a: z.enum(['x']).refine(() => true) }))).toBeUndefined();
    expect(compileCheck(z.object({ constructor: z.string() }))).toBeUndefined();
    expect(compileCheck({ '~standard': { validate: () => ({ value: 1 }) } })).toBeUndefined();
  });
});
