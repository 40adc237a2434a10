import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { ValidationError } from './errors.js';
import { compileInput, fieldError, type RawInput } from './input.js';
import type { StandardSchemaV1 } from './schema.js';

const raw = (
  parts: Partial<{ params: Record<string, string>; query: unknown; headers: unknown; body: unknown }>,
): RawInput => ({
  params: parts.params ?? {},
  query: () => parts.query ?? {},
  headers: () => parts.headers ?? {},
  body: () => parts.body,
});

async function failure(run: () => unknown): Promise<ValidationError> {
  try {
    await run();
  } catch (error) {
    return error as ValidationError;
  }
  throw new Error('expected a validation failure');
}

describe('input validation (SEAMS §I)', () => {
  it('escapes pointer segments per RFC 6901 and numbers array indexes', () => {
    expect(fieldError('body', { message: 'x', path: ['items', 3, 'a/b~c'] })).toEqual({
      pointer: '/body/items/3/a~1b~0c',
      message: 'x',
      code: 'invalid',
    });
    expect(fieldError('headers', { message: 'x', path: [{ key: 'x-id' }] }).pointer).toBe('/headers/x-id');
  });

  it('reports zod issues from several parts at once with their codes', async () => {
    const read = compileInput(
      {
        params: z.object({ id: z.coerce.number() }),
        body: z.object({ items: z.array(z.object({ qty: z.number().min(1) })) }),
      },
      400,
    );
    const error = await failure(() =>
      read(raw({ params: { id: 'x' }, body: { items: [{ qty: 1 }, { qty: 0 }] } })),
    );
    expect(error).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', expose: true });
    expect(error.errors.map((item) => [item.pointer, item.code])).toEqual([
      ['/params/id', 'invalid_type'],
      ['/body/items/1/qty', 'too_small'],
    ]);
    expect(error.issues).toHaveLength(2);
    expect(error.detail).toBe('The request has 2 invalid fields: /params/id, /body/items/1/qty.');
  });

  it('uses the 422 status when asked', async () => {
    const read = compileInput({ querystring: z.object({ page: z.coerce.number() }) }, 422);
    expect((await failure(() => read(raw({ query: { page: 'x' } })))).status).toBe(422);
  });

  it('validates with valibot, and uses "invalid" when an issue has no string code', async () => {
    const read = compileInput(
      { body: v.object({ name: v.pipe(v.string(), v.minLength(2)) }) as StandardSchemaV1 },
      400,
    );
    const error = await failure(() => read(raw({ body: { name: 'a' } })));
    expect(error.errors).toEqual([{ pointer: '/body/name', message: expect.any(String), code: 'invalid' }]);
    const ok = await read(raw({ body: { name: 'ab' } }));
    expect(ok.body).toEqual({ name: 'ab' });
  });

  it('awaits async validators and a body promise', async () => {
    const slow: StandardSchemaV1<unknown, string> = {
      '~standard': {
        version: 1,
        vendor: 'test',
        validate: async (value) =>
          value === 'ok' ? { value: 'OK' } : { issues: [{ message: 'not ok', path: [] }] },
      },
    };
    const read = compileInput({ body: slow }, 400);
    expect((await read({ ...raw({}), body: () => Promise.resolve('ok') })).body).toBe('OK');
    const error = await failure(() => read(raw({ body: 'no' })));
    expect(error.errors).toEqual([{ pointer: '/body', message: 'not ok', code: 'invalid' }]);
  });

  it('passes unvalidated parts through as they came', async () => {
    const read = compileInput({}, 400);
    const input = await read(raw({ params: { id: '1' }, query: { a: ['1', '2'] }, body: { ignored: true } }));
    expect(JSON.parse(JSON.stringify(input))).toEqual({
      params: { id: '1' },
      query: { a: ['1', '2'] },
      headers: {},
    });
    expect([input.query, input.headers, input.body]).toEqual([{ a: ['1', '2'] }, {}, undefined]);
  });
});
