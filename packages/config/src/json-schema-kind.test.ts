import { describe, expect, it } from 'vitest';
import { readJsonSchemaKind } from './json-schema-kind.js';

describe('readJsonSchemaKind', () => {
  it.each([
    [{ type: 'integer' }, 'integer', false, 'integer'],
    [{ type: 'number' }, 'number', false, 'number'],
    [{ type: 'boolean' }, 'boolean', false, 'boolean (true/false, 1/0, yes/no, on/off)'],
    [{ type: 'object' }, 'json', false, 'JSON object'],
    [{ type: 'string' }, 'string', true, 'string'],
    [{ type: 'string', format: 'uri' }, 'string', true, 'URL'],
    [{ type: 'string', format: 'email' }, 'string', true, 'string (email)'],
    [{ type: 'string', enum: ['a', 'b'] }, 'string', true, 'one of "a" | "b"'],
    [{ type: ['number', 'null'] }, 'number', false, 'number'],
    [{ anyOf: [{ type: 'number' }, { type: 'string', const: 'auto' }] }, 'number', true, 'number or "auto"'],
    [{}, 'string', true, 'string'],
  ])('reads %j as %s', (schema, kind, lenient, expected) => {
    expect(readJsonSchemaKind(schema)).toMatchObject({ kind, lenient, expected });
  });

  it('reads the item kind of an array', () => {
    expect(readJsonSchemaKind({ type: 'array', items: { type: 'integer' } })).toEqual({
      kind: 'list',
      itemKind: 'integer',
      lenient: false,
      expected: 'comma-separated list of integer',
    });
  });
});
