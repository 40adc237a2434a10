import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { RequestBodyError, RequestValidationError, ValidationError } from './errors.js';
import { createRouteValidator } from './route-validator.js';

async function failure(run: () => unknown): Promise<RequestValidationError> {
  try {
    await run();
  } catch (error) {
    if (error instanceof RequestValidationError) return error;
    throw error;
  }
  throw new Error('expected a RequestValidationError');
}

const Order = {
  params: z.object({ id: z.number().int() }),
  querystring: z.object({ page: z.number().min(1).default(1), tags: z.array(z.string()).optional() }),
  headers: z.object({ 'x-tenant-id': z.uuid() }),
  body: z.object({
    items: z.array(z.object({ sku: z.string(), qty: z.number().int().min(1) })),
    password: z.string().min(12, { error: (issue) => `"${String(issue.input)}" is too short` }),
  }),
};

describe('createRouteValidator', () => {
  const validator = createRouteValidator(Order);
  const tenant = '0b8e3c36-8f8b-4c59-9a63-3a7c1b2d4e5f';

  it('answers typed values, strings coerced by the declared types', async () => {
    const input = await validator.validate({
      params: { id: '7' },
      querystring: { page: '2', tags: 'a' },
      headers: (name) => (name === 'x-tenant-id' ? tenant : undefined),
      body: { items: [{ sku: 'a', qty: 1 }], password: 'correct horse battery' },
    });
    expect(input).toEqual({
      params: { id: 7 },
      querystring: { page: 2, tags: ['a'] },
      headers: { 'x-tenant-id': tenant },
      body: { items: [{ sku: 'a', qty: 1 }], password: 'correct horse battery' },
    });
  });

  it('lists every issue of every part with a JSON Pointer rooted at the part and the issue code', async () => {
    const error = await failure(() =>
      validator.validate({
        params: { id: 'x' },
        querystring: { page: '0' },
        headers: {},
        body: {
          items: [{ sku: 'a', qty: 1 }, {}, {}, { sku: 'b', qty: 0 }],
          password: 'correct horse battery',
        },
      }),
    );
    expect(error.status).toBe(400);
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.errors.map(({ pointer, code }) => [pointer, code])).toEqual([
      ['/params/id', 'invalid_type'],
      ['/querystring/page', 'too_small'],
      ['/headers/x-tenant-id', 'invalid_type'],
      ['/body/items/1/sku', 'invalid_type'],
      ['/body/items/1/qty', 'invalid_type'],
      ['/body/items/2/sku', 'invalid_type'],
      ['/body/items/2/qty', 'invalid_type'],
      ['/body/items/3/qty', 'too_small'],
    ]);
    expect(error.detail).toMatch(/^The request is invalid: \/params\/id .* \(and 7 more\)\.$/);
    expect(error.issues[0]).toEqual({
      message: expect.any(String),
      path: ['params', 'id'],
      code: 'invalid_type',
    });
  });

  it('never echoes the value of a sensitive field, in errors or in issues', async () => {
    const error = await failure(() =>
      validator.validate({
        params: { id: '1' },
        querystring: {},
        headers: { 'x-tenant-id': tenant },
        body: { items: [], password: 'hunter2' },
      }),
    );
    expect(error.errors).toEqual([
      {
        pointer: '/body/password',
        message: 'Too small (the value of a sensitive field is not shown)',
        code: 'too_small',
      },
    ]);
    expect(JSON.stringify({ ...error, issues: error.issues })).not.toContain('hunter2');
  });

  it('hides values of fields the route lists as sensitive, and valibot messages quoting them', async () => {
    const pin = createRouteValidator({ body: v.object({ pin: v.string() }) }, { sensitive: ['pin'] });
    const error = await failure(() => pin.validate({ body: { pin: 123456 } }));
    expect(JSON.stringify(error.errors)).not.toContain('123456');
    expect(error.errors[0]?.pointer).toBe('/body/pin');
    expect(error.errors[0]?.code).toBe('invalid');
  });

  it('hides values of fields the schema marks sensitive or write-only, at any depth', async () => {
    const marked = createRouteValidator({
      body: z.object({
        card: z
          .object({ number: z.string().length(16, { error: (issue) => `bad ${String(issue.input)}` }) })
          .meta({
            sensitive: true,
          }),
        pin: z
          .string()
          .regex(/^\d{4}$/, { error: (issue) => `bad ${String(issue.input)}` })
          .meta({ writeOnly: true }),
        city: z.string().min(3, { error: (issue) => `bad ${String(issue.input)}` }),
      }),
    });
    const error = await failure(() =>
      marked.validate({ body: { card: { number: '4111' }, pin: '12a', city: 'xy' } }),
    );
    expect(error.errors.map((entry) => entry.message)).toEqual([
      'Too small (the value of a sensitive field is not shown)',
      'Invalid format (the value of a sensitive field is not shown)',
      'bad xy',
    ]);
  });

  it('answers 422 when the route opts in', async () => {
    const strict = createRouteValidator({ body: z.object({ a: z.string() }) }, { status: 422 });
    expect((await failure(() => strict.validate({ body: {} }))).status).toBe(422);
  });

  it('answers MALFORMED_BODY for a missing body the schema requires, and accepts it when optional', async () => {
    const required = createRouteValidator({ body: z.object({ a: z.string() }) });
    await expect(async () => required.validate({ body: undefined })).rejects.toThrow(RequestBodyError);
    const optional = createRouteValidator({ body: z.object({ a: z.string() }).optional() });
    expect((await optional.validate({ body: undefined })).body).toBeUndefined();
  });

  it('validates with async refinements', async () => {
    const taken = createRouteValidator({
      body: z.object({ name: z.string().refine(async (name) => name !== 'taken', 'is taken') }),
    });
    expect(taken.validate({ body: { name: 'free' } })).toBeInstanceOf(Promise);
    expect((await failure(() => taken.validate({ body: { name: 'taken' } }))).errors[0]).toEqual({
      pointer: '/body/name',
      message: 'is taken',
      code: 'custom',
    });
  });

  it('escapes ~ and / in pointer segments (RFC 6901)', async () => {
    const odd = createRouteValidator({ body: z.object({ 'a/b~c': z.string() }) });
    expect((await failure(() => odd.validate({ body: {} }))).errors[0]?.pointer).toBe('/body/a~1b~0c');
  });

  it('refuses, at creation, a part that is not a Standard Schema and a bad status', () => {
    expect(() => createRouteValidator({ body: { type: 'object' } as never })).toThrow(ValidationError);
    expect(() => createRouteValidator({}, { status: 418 as never })).toThrow(/400 or 422/);
  });
});
