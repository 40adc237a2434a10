import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { HttpError, NotFoundError, ServiceUnavailableError, ValidationError } from './http-error.js';
import { PROBLEM_CONTENT_TYPE, problemResponse, toHttpError, toProblem } from './problem.js';

describe('toProblem', () => {
  it('builds an RFC 9457 body for an exposed client error', () => {
    const problem = toProblem(new NotFoundError('Order 42 does not exist'), {
      instance: '/orders/42',
      traceId: 'a'.repeat(32),
      requestId: 'req-1',
    });
    expect(problem.status).toBe(404);
    expect(problem.headers['content-type']).toBe(PROBLEM_CONTENT_TYPE);
    expect(problem.body).toEqual({
      type: 'about:blank',
      title: 'Not Found',
      status: 404,
      code: 'NOT_FOUND',
      detail: 'Order 42 does not exist',
      instance: '/orders/42',
      traceId: 'a'.repeat(32),
      requestId: 'req-1',
    });
  });

  it('turns an unknown error into a bare 500 that leaks nothing', () => {
    const secret = new Error('connect ECONNREFUSED 10.0.0.5:5432 password=hunter2');
    const problem = toProblem(secret, { instance: '/x' });
    expect(problem.status).toBe(500);
    expect(problem.body).toEqual({
      type: 'about:blank',
      title: 'Internal Server Error',
      status: 500,
      code: 'INTERNAL_SERVER_ERROR',
      instance: '/x',
    });
    expect(JSON.stringify(problem.body)).not.toContain('hunter2');
    expect(problem.error.cause).toBe(secret);
  });

  it.each([null, undefined, 'a string', 42, Symbol('s')])('treats a thrown %s as a 500', (thrown) => {
    expect(toProblem(thrown).status).toBe(500);
  });

  it('hides message and extensions of a 5xx but keeps its explicit public message and headers', () => {
    const hidden = toProblem(
      new HttpError(500, 'null deref in billing', { extensions: { table: 'invoices' } }),
    );
    expect(hidden.body.detail).toBeUndefined();
    expect(hidden.body.table).toBeUndefined();
    const told = toProblem(
      new ServiceUnavailableError('pg pool drained', { retryAfter: 30, publicMessage: 'Back soon.' }),
    );
    expect(told.body.detail).toBe('Back soon.');
    expect(told.headers['retry-after']).toBe('30');
  });

  it('adds extensions of exposed errors without letting them override standard members', () => {
    const problem = toProblem(
      new HttpError(409, 'stale', { extensions: { currentVersion: 7, status: 200, type: 'x' } }),
    );
    expect(problem.body).toMatchObject({ status: 409, type: 'about:blank', currentVersion: 7 });
  });

  it('derives type URIs from the code under typeBase', () => {
    expect(toProblem(new NotFoundError(), { typeBase: 'https://errors.example.com/' }).body.type).toBe(
      'https://errors.example.com/not-found',
    );
    expect(toProblem(new HttpError(400, 'x', { type: 'https://e.x/custom' })).body.type).toBe(
      'https://e.x/custom',
    );
  });

  it('sends field errors in errors[]', () => {
    const problem = toProblem(
      new ValidationError('Bad order', { errors: [{ detail: 'must be positive', pointer: '#/quantity' }] }),
    );
    expect(problem.status).toBe(422);
    expect(problem.body.errors).toEqual([{ detail: 'must be positive', pointer: '#/quantity' }]);
  });
});

describe('toHttpError with errors it does not own', () => {
  const schema = z.object({
    name: z.string().min(2),
    items: z.array(z.object({ qty: z.number().positive() })),
  });
  const input = { name: 'x', items: [{ qty: 1 }, { qty: -1 }] };

  it('reads a ZodError (Standard Schema issues) as 422 with JSON-pointer field errors', () => {
    const result = schema.safeParse(input);
    const problem = toProblem(result.error);
    expect(problem.status).toBe(422);
    expect(problem.body.code).toBe('VALIDATION_FAILED');
    expect(problem.body.errors).toEqual([
      expect.objectContaining({ pointer: '#/name', code: 'too_small' }),
      expect.objectContaining({ pointer: '#/items/1/qty', code: 'too_small' }),
    ]);
  });

  it('reads a Standard Schema failure result, with 400 when asked', async () => {
    const result = await schema['~standard'].validate(input);
    expect('issues' in result && result.issues !== undefined).toBe(true);
    const problem = toProblem(result, { validationStatus: 400 });
    expect(problem.status).toBe(400);
    expect(problem.body.errors).toHaveLength(2);
  });

  it('escapes pointer segments per RFC 6901', () => {
    const error = { issues: [{ message: 'bad', path: ['a/b', 'c~d', { key: 'sp ace' }] }] };
    expect(toProblem(error).body.errors?.[0]?.pointer).toBe('#/a~1b/c~0d/sp%20ace');
  });

  it('reads http-errors / body-parser shapes by status and expose', () => {
    const tooLarge = Object.assign(new Error('request entity too large'), {
      status: 413,
      statusCode: 413,
      expose: true,
      type: 'entity.too.large',
    });
    expect(toProblem(tooLarge).body).toMatchObject({ status: 413, detail: 'request entity too large' });
    const hidden = Object.assign(new Error('internal detail'), { status: 500, expose: false });
    expect(toProblem(hidden).body.detail).toBeUndefined();
    const withHeaders = Object.assign(new Error('nope'), {
      status: 405,
      expose: true,
      headers: { Allow: 'GET' },
    });
    expect(toProblem(withHeaders).headers.allow).toBe('GET');
  });

  it('reads Fastify errors (statusCode + FST_ code) and their ajv validation', () => {
    const fastifyError = Object.assign(new Error('body/age must be >= 0'), {
      statusCode: 400,
      code: 'FST_ERR_VALIDATION',
      validation: [
        { instancePath: '/age', message: 'must be >= 0', keyword: 'minimum', params: {} },
        {
          instancePath: '',
          message: "must have required property 'name'",
          keyword: 'required',
          params: { missingProperty: 'name' },
        },
      ],
    });
    expect(toProblem(fastifyError).body).toMatchObject({
      status: 400,
      code: 'FST_ERR_VALIDATION',
      errors: [
        { pointer: '#/age', detail: 'must be >= 0', code: 'minimum' },
        { pointer: '#/name', code: 'required' },
      ],
    });
  });

  it('does not trust a status without expose (an upstream client error is our 500)', () => {
    const axiosLike = Object.assign(new Error('Request failed with status code 404'), { status: 404 });
    expect(toHttpError(axiosLike).status).toBe(500);
    const outOfRange = { status: 200, expose: true, message: 'ok?' };
    expect(toHttpError(outOfRange).status).toBe(500);
  });
});

describe('problemResponse', () => {
  it('is a fetch Response with the problem body and headers', async () => {
    const response = problemResponse(new NotFoundError('gone'), { instance: '/a' });
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(await response.json()).toMatchObject({ status: 404, detail: 'gone', instance: '/a' });
  });
});
