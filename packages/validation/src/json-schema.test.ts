import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { toJsonSchema } from './json-schema.js';

const User = z.object({
  id: z.bigint(),
  name: z.string(),
  createdAt: z.date(),
  slug: z.string().transform((text) => text.toLowerCase()),
});

describe('toJsonSchema', () => {
  it('exports the input schema with dates as date-time strings and bigints as integers', () => {
    expect(toJsonSchema(User)).toEqual({
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      type: 'object',
      properties: {
        id: { type: 'integer', format: 'int64' },
        name: { type: 'string' },
        createdAt: { type: 'string', format: 'date-time' },
        slug: { type: 'string' },
      },
      required: ['id', 'name', 'createdAt', 'slug'],
    });
  });

  it('exports the output schema without throwing on transforms, bigints as digit strings', () => {
    const schema = toJsonSchema(User, { io: 'output' });
    expect(schema.properties).toEqual({
      id: { type: 'string', pattern: '^-?[0-9]+$', format: 'int64' },
      name: { type: 'string' },
      createdAt: { type: 'string', format: 'date-time' },
      slug: {},
    });
  });

  it('answers {} (anything) for a validator without Standard JSON Schema', () => {
    expect(toJsonSchema(v.object({ a: v.string() }))).toEqual({});
  });

  it('follows the requested target', () => {
    expect(toJsonSchema(z.string(), { target: 'draft-07' }).$schema).toBe(
      'http://json-schema.org/draft-07/schema#',
    );
  });
});
