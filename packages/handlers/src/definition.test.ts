import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineHandler } from './definition.js';
import { token } from './token.js';

const spec = { method: 'GET', path: '/a', handle: () => null } as const;

function refusal(value: unknown): string {
  try {
    defineHandler(value as never);
  } catch (error) {
    expect((error as { code: string }).code).toBe('ERR_HANDLERS_INVALID_DEFINITION');
    return (error as Error).message;
  }
  throw new Error('expected a refusal');
}

describe('defineHandler', () => {
  it('yields method, path and RouteMeta (schema plus OpenAPI fields), frozen', () => {
    const params = z.object({ id: z.string() });
    const definition = defineHandler({
      method: 'GET',
      path: '/users/:id',
      summary: 'One user',
      description: 'By id',
      tags: ['users'],
      operationId: 'getUser',
      deprecated: true,
      security: [{ bearer: [] }],
      schema: { params },
      handle: () => null,
    });
    expect(definition.method).toBe('GET');
    expect(definition.path).toBe('/users/:id');
    expect(definition.meta).toEqual({
      summary: 'One user',
      description: 'By id',
      tags: ['users'],
      operationId: 'getUser',
      deprecated: true,
      security: [{ bearer: [] }],
      schema: { params },
    });
    expect(Object.isFrozen(definition)).toBe(true);
    expect(Object.isFrozen(definition.meta)).toBe(true);
  });

  it('refuses what cannot be routed or validated, saying what to write', () => {
    expect(refusal({ ...spec, method: 'get' })).toContain('method must be one of GET, POST');
    expect(refusal({ ...spec, path: 'users' })).toContain('path must start with "/"');
    expect(refusal({ ...spec, handle: 1 })).toContain('handle(input, services, ctx) must be a function');
    expect(refusal({ ...spec, schema: { body: { parse() {} } } })).toContain(
      'schema.body is not a Standard Schema',
    );
    expect(refusal({ ...spec, schema: { response: { 2000: z.string() } } })).toContain('response key "2000"');
    expect(refusal({ ...spec, schema: { response: { 200: { schema: 1 } } } })).toContain(
      'response 200 must be',
    );
    expect(refusal({ ...spec, services: { db: 'Db' } })).toContain('services.db is not a token');
  });

  it('accepts services given as tokens and response ranges', () => {
    const Db = token<object>('Db');
    const definition = defineHandler({
      ...spec,
      services: { db: Db },
      schema: { response: { '2xx': z.string(), default: {} } },
      handle: () => 'ok',
    });
    expect(definition.services).toEqual({ db: Db });
  });
});
