import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { HandlersError } from './errors.js';
import { created, noContent, reply } from './reply.js';
import { compileResponses, respond } from './respond.js';

describe('responses', () => {
  const plan = compileResponses({
    response: {
      201: z.object({ id: z.number() }),
      '4xx': z.object({ code: z.string() }),
      default: { contentType: 'text/plain', description: 'anything else' },
    },
  });

  it('gives plain data the lowest declared 2xx status', () => {
    expect(plan.successStatus).toBe(201);
    expect(respond({ id: 1, secret: 'x' }, plan, 'POST /a')).toEqual({
      status: 201,
      headers: { 'content-type': 'application/json' },
      body: '{"id":1}',
    });
  });

  it('serializes through range and default entries', () => {
    expect(respond(reply(409, { code: 'TAKEN', extra: 1 }), plan, 'POST /a')).toMatchObject({
      status: 409,
      body: '{"code":"TAKEN"}',
    });
    expect(respond(reply(302, 'see other'), plan, 'POST /a')).toEqual({
      status: 302,
      headers: { 'content-type': 'text/plain' },
      body: 'see other',
    });
  });

  it('answers 204 for undefined and noContent(), keeping headers, with no body', () => {
    expect(respond(undefined, plan, 'x')).toEqual({ status: 204, headers: {}, body: undefined });
    expect(respond(noContent({ headers: { etag: '"1"' } }), plan, 'x')).toEqual({
      status: 204,
      headers: { etag: '"1"' },
      body: undefined,
    });
  });

  it('adds Location for created()', () => {
    expect(respond(created({ id: 2 }, { location: '/a/2' }), plan, 'x')).toMatchObject({
      status: 201,
      headers: { location: '/a/2', 'content-type': 'application/json' },
    });
  });

  it('defaults to 200 and plain JSON without a response table', () => {
    expect(respond({ any: 'thing' }, compileResponses({}), 'x')).toEqual({
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: '{"any":"thing"}',
    });
  });

  it('throws ERR_HANDLERS_INVALID_RESPONSE naming the route and the field', () => {
    try {
      respond({ id: 'one' }, plan, 'POST /a');
      throw new Error('expected a throw');
    } catch (error) {
      expect(error).toBeInstanceOf(HandlersError);
      expect((error as HandlersError).code).toBe('ERR_HANDLERS_INVALID_RESPONSE');
      expect((error as HandlersError).message).toContain(
        'POST /a answered 201 with a body its response schema refuses at "id"',
      );
    }
  });
});

describe('responses through a compiled serializer (the serializer option)', () => {
  // A stand-in for @plinth/validation's createSerializer: writes only `id`, refuses a non-number.
  const compiledFor: unknown[] = [];
  const serializer = (schema: unknown) => {
    compiledFor.push(schema);
    return (value: unknown) => {
      const id = (value as { id?: unknown }).id;
      if (typeof id !== 'number') throw new Error('expected a number at "id"');
      return `{"id":${id}}`;
    };
  };
  const User = z.object({ id: z.number() });
  const plan = compileResponses(
    {
      response: {
        200: User,
        404: { contentType: 'text/plain' },
        500: { contentType: 'text/html', schema: z.string() },
      },
    },
    serializer,
  );

  it('compiles once per JSON response schema, when binding', () => {
    expect(compiledFor).toEqual([User]);
  });

  it('writes the body through the serializer instead of the schema', () => {
    expect(respond({ id: 1, secret: 'x' }, plan, 'GET /a')).toEqual({
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: '{"id":1}',
    });
  });

  it('reports what the serializer refuses as ERR_HANDLERS_INVALID_RESPONSE, with its error as the cause', () => {
    try {
      respond({ id: 'one' }, plan, 'GET /a');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(HandlersError);
      expect((error as HandlersError).code).toBe('ERR_HANDLERS_INVALID_RESPONSE');
      expect((error as Error).message).toContain('GET /a answered 200');
      expect((error as Error).message).toContain('expected a number at "id"');
      expect(((error as Error).cause as Error).message).toBe('expected a number at "id"');
    }
  });
});
