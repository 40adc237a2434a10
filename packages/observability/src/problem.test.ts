import { readFileSync } from 'node:fs';
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

  it('hides detail, code and extensions of a 5xx but always sends its headers', () => {
    const hidden = toProblem(
      new HttpError(500, 'null deref in billing', {
        code: 'ERR_BILLING_NULL',
        detail: 'billing broke',
        extensions: { table: 'invoices' },
      }),
    );
    expect(hidden.body).toEqual({
      type: 'about:blank',
      title: 'Internal Server Error',
      status: 500,
      code: 'INTERNAL_SERVER_ERROR',
    });
    const draining = toProblem(new ServiceUnavailableError('pg pool drained', { retryAfter: 30 }));
    expect(draining.body.detail).toBeUndefined();
    expect(draining.headers['retry-after']).toBe('30');
    const told = toProblem(
      new ServiceUnavailableError('pg pool drained', { detail: 'Back soon.', expose: true }),
    );
    expect(told.body.detail).toBe('Back soon.');
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
      new ValidationError('Bad order', { errors: [{ pointer: '/quantity', message: 'must be positive' }] }),
    );
    expect(problem.status).toBe(422);
    expect(problem.body.errors).toEqual([{ pointer: '/quantity', message: 'must be positive' }]);
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
      expect.objectContaining({ pointer: '/name', code: 'too_small' }),
      expect.objectContaining({ pointer: '/items/1/qty', code: 'too_small' }),
    ]);
  });

  it('reads a Standard Schema failure result, with 400 when asked', async () => {
    const result = await schema['~standard'].validate(input);
    expect('issues' in result && result.issues !== undefined).toBe(true);
    const problem = toProblem(result, { validationStatus: 400 });
    expect(problem.status).toBe(400);
    expect(problem.body.errors).toHaveLength(2);
  });

  it('answers a validation error of the convention by its own status and errors, not its raw issues', () => {
    // What @plinth/validation and @plinth/handlers throw: pointers rooted at the request part.
    const error = Object.assign(new Error('The request is invalid.'), {
      status: 400,
      code: 'VALIDATION_FAILED',
      errors: [{ pointer: '/body/items/1/qty', message: 'Too small', code: 'too_small' }],
      issues: [{ message: 'Too small', path: ['items', 1, 'qty'] }],
    });
    const problem = toProblem(error);
    expect(problem.status).toBe(400);
    expect(problem.body).toMatchObject({ code: 'VALIDATION_FAILED', title: 'Bad Request' });
    expect(problem.body.errors).toEqual([
      { pointer: '/body/items/1/qty', message: 'Too small', code: 'too_small' },
    ]);
  });

  it('escapes pointer segments per RFC 6901', () => {
    const error = { issues: [{ message: 'bad', path: ['a/b', 'c~d', { key: 'sp ace' }] }] };
    expect(toProblem(error).body.errors?.[0]?.pointer).toBe('/a~1b/c~0d/sp ace');
  });

  it('reads http-errors shapes by status and expose', () => {
    const tooLarge = Object.assign(new Error('request entity too large'), {
      status: 413,
      statusCode: 413,
      expose: true,
    });
    expect(toProblem(tooLarge).body).toEqual({
      type: 'about:blank',
      title: 'Content Too Large',
      status: 413,
      detail: 'request entity too large',
      code: 'CONTENT_TOO_LARGE',
    });
    const hidden = Object.assign(new Error('internal detail'), { status: 500, expose: false });
    expect(toProblem(hidden).body.detail).toBeUndefined();
    const withHeaders = Object.assign(new Error('nope'), {
      status: 405,
      expose: true,
      headers: { Allow: 'GET' },
    });
    expect(toProblem(withHeaders).headers.allow).toBe('GET');
  });

  it('trusts any integer status or statusCode 400-599, exposing 4xx by default', () => {
    const upstream = Object.assign(new Error('Request failed with status code 404'), { status: 404 });
    expect(toProblem(upstream).body).toMatchObject({ status: 404, code: 'NOT_FOUND' });
    expect(toHttpError({ statusCode: 429 }).status).toBe(429);
    const fractional = { status: 404.5, message: 'no' };
    expect(toHttpError(fractional).status).toBe(500);
    const outOfRange = { status: 200, expose: true, message: 'ok?' };
    expect(toHttpError(outOfRange).status).toBe(500);
  });

  it('reads every member of the convention from a foreign error (e.g. @plinth/http)', () => {
    const foreign = Object.assign(new Error('Only GET here.'), {
      status: 405,
      code: 'METHOD_NOT_ALLOWED',
      headers: { Allow: 'GET, HEAD', 'Content-Type': 'text/html', 'Content-Length': '3', 'X-N': 4 },
      title: 'Wrong method',
      detail: 'Use GET.',
      type: 'https://errors.example.com/method',
      errors: [{ pointer: '/a', message: 'bad', code: 'x' }, { pointer: '/b' }, 'junk'],
    });
    const problem = toProblem(foreign);
    expect(problem.body).toEqual({
      type: 'https://errors.example.com/method',
      title: 'Wrong method',
      status: 405,
      detail: 'Use GET.',
      code: 'METHOD_NOT_ALLOWED',
      errors: [{ pointer: '/a', message: 'bad', code: 'x' }],
    });
    expect(problem.headers).toEqual({ allow: 'GET, HEAD', 'content-type': 'application/problem+json' });
  });

  it('ignores the own members of an unexposed foreign error but sends its headers', () => {
    const hidden = {
      statusCode: 503,
      code: 'ECONNREFUSED',
      title: 'db down',
      detail: 'pg at 10.0.0.5',
      type: 'x',
      headers: { 'Retry-After': '5' },
    };
    const problem = toProblem(hidden);
    expect(problem.body).toEqual({
      type: 'about:blank',
      title: 'Service Unavailable',
      status: 503,
      code: 'SERVICE_UNAVAILABLE',
    });
    expect(problem.headers['retry-after']).toBe('5');
    const exposed5xx = toProblem({ status: 502, expose: true, message: 'upstream said no' });
    expect(exposed5xx.body).toMatchObject({ detail: 'upstream said no', code: 'BAD_GATEWAY' });
    const hidden4xx = toProblem({ status: 409, expose: false, message: 'row 7 locked', code: 'LOCKED' });
    expect(hidden4xx.body).toEqual({ type: 'about:blank', title: 'Conflict', status: 409, code: 'CONFLICT' });
  });

  it('writes the members in the order every package writes them', () => {
    const problem = toProblem(
      new ValidationError('Bad', { errors: [{ message: 'm' }], extensions: { hint: 'h' } }),
      { instance: '/i', requestId: 'r', traceId: 't' },
    );
    expect(Object.keys(problem.body)).toEqual([
      'type',
      'title',
      'status',
      'detail',
      'code',
      'errors',
      'instance',
      'requestId',
      'traceId',
      'hint',
    ]);
  });
});

describe('status titles and default codes', () => {
  const vectors = JSON.parse(
    readFileSync(new URL('../test/vectors/status-titles.json', import.meta.url), 'utf8'),
  ) as Array<{ status: number; title: string; code: string }>;

  it.each(vectors)('$status answers title "$title" and code $code', ({ status, title, code }) => {
    expect(toProblem(new HttpError(status)).body).toMatchObject({ title, status, code });
    expect(toProblem({ status }).body).toMatchObject({ title, status, code });
  });
});

describe('problemResponse', () => {
  it('is a fetch Response with the problem body and headers', async () => {
    const response = problemResponse(new NotFoundError('gone'), { instance: '/a' });
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    const text = await response.text();
    expect(response.headers.get('content-length')).toBe(String(Buffer.byteLength(text)));
    expect(JSON.parse(text)).toMatchObject({ status: 404, detail: 'gone', instance: '/a' });
  });
});
