import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { env } from './env-schema.js';
import { findSchemaMark } from './schema-marks.js';

describe('env helpers as standalone Standard Schemas', () => {
  it('coerce strings and accept already-typed values', () => {
    const port = env.port();
    expect(port['~standard'].validate('8080')).toEqual({ value: 8080 });
    expect(port['~standard'].validate(8080)).toEqual({ value: 8080 });
    expect(port['~standard'].validate('http')).toEqual({
      issues: [{ message: 'Expected port (integer 0-65535): not an integer' }],
    });
    expect(port['~standard'].validate(true)).toEqual({
      issues: [{ message: 'Expected port (integer 0-65535)' }],
    });
  });

  it('apply the default, allow optional, require otherwise', () => {
    expect(env.duration({ default: 1000 })['~standard'].validate(undefined)).toEqual({ value: 1000 });
    expect(env.url({ optional: true })['~standard'].validate(undefined)).toEqual({ value: undefined });
    expect(env.boolean()['~standard'].validate(undefined)).toEqual({
      issues: [{ message: 'Required: expected boolean (true/false, 1/0, yes/no, on/off)' }],
    });
  });

  it('split lists on the separator', () => {
    expect(env.list({ separator: '|' })['~standard'].validate('a | b')).toEqual({ value: ['a', 'b'] });
  });

  it('record their kind, secrecy, description and default for the loader', () => {
    expect(findSchemaMark(env.string({ secret: true, description: 'd', default: 'x' }))).toEqual({
      kind: 'string',
      secret: true,
      description: 'd',
      defaultValue: { value: 'x' },
    });
  });
});

describe('env helpers wrapping a schema', () => {
  it('return the same schema, marked with the kind', () => {
    const schema = z.array(z.string());
    expect(env.list(schema, { separator: ';' })).toBe(schema);
    expect(findSchemaMark(schema)).toEqual({ kind: 'list', separator: ';' });
  });

  it('keep the mark visible through wrappers added later', () => {
    const marked = env.duration(z.number());
    expect(findSchemaMark(marked.optional().default(5))).toEqual({ kind: 'duration' });
    expect(findSchemaMark(marked.describe('timeout').meta({ example: 5 }))).toEqual({ kind: 'duration' });
    expect(findSchemaMark(marked.min(1))).toBeUndefined();
  });
});
