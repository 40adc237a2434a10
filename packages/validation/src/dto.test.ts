import * as v from 'valibot';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { defineDto } from './dto.js';
import { ValidationError } from './errors.js';
import type { StandardSchemaV1 } from './standard-schema.js';

const User = z.object({
  id: z.uuid(),
  email: z.email(),
  password: z.string().min(12),
  createdAt: z.date().meta({ readOnly: true }),
});

describe('defineDto', () => {
  const dto = defineDto(User, { readOnly: ['id', 'createdAt'], writeOnly: ['password'] });

  it('leaves read-only members out of the input and write-only members out of the output', async () => {
    const input = await dto.input['~standard'].validate({ email: 'a@b.co', password: 'correct horse' });
    expect(input).toEqual({ value: { email: 'a@b.co', password: 'correct horse' } });
    const output = {
      id: '0b8e3c36-8f8b-4c59-9a63-3a7c1b2d4e5f',
      email: 'a@b.co',
      createdAt: new Date(0),
    };
    expect(JSON.parse(dto.serialize({ ...output, password: 'never' } as never))).toEqual({
      ...output,
      createdAt: '1970-01-01T00:00:00.000Z',
    });
    expectTypeOf<StandardSchemaV1.InferOutput<typeof dto.input>>().toEqualTypeOf<{
      email: string;
      password: string;
    }>();
  });

  it('reads .meta({ readOnly: true }) marks', async () => {
    const marked = defineDto(User);
    const result = await marked.input['~standard'].validate({
      id: '0b8e3c36-8f8b-4c59-9a63-3a7c1b2d4e5f',
      email: 'a@b.co',
      password: 'correct horse',
      createdAt: 'not even a date',
    });
    expect(result.issues).toBeUndefined();
  });

  it('refuses names the schema does not declare, and schemas without omit()', () => {
    expect(() => defineDto(User, { readOnly: ['createdOn' as 'id'] })).toThrow(/createdOn/);
    expect(() => defineDto(v.object({ a: v.string() }))).toThrow(ValidationError);
  });
});
