// The host-error tables, for the errors a real request cannot easily provoke (the integration tests in
// test/*-host-errors.test.ts send the rest over real sockets to real Express 5 and Fastify 5).
import { describe, expect, it } from 'vitest';
import { fromExpressError, fromFastifyError } from './host-errors.js';
import { toProblem } from './problem.js';

// body-parser wraps raw-body's errors with http-errors: status, statusCode, expose and type.
function bodyParserError(status: number, type: string, message = 'body-parser said no') {
  return Object.assign(new Error(message), { status, statusCode: status, expose: status < 500, type });
}

describe('fromExpressError', () => {
  it.each([
    ['request.size.invalid', 400, 400, 'MALFORMED_BODY'],
    ['request.aborted', 400, 400, 'MALFORMED_BODY'],
    ['entity.too.large', 413, 413, 'CONTENT_TOO_LARGE'],
    ['stream.encoding.set', 500, 500, 'INTERNAL_SERVER_ERROR'],
    ['stream.not.readable', 500, 500, 'INTERNAL_SERVER_ERROR'],
    ['entity.verify.failed', 403, 403, 'FORBIDDEN'],
  ])('reads %s (%i) as %i %s, without its type', (type, status, answered, code) => {
    const body = toProblem(fromExpressError(bodyParserError(status, type))).body;
    expect(body).toMatchObject({ type: 'about:blank', status: answered, code });
  });

  it('leaves errors that are not the body parsers’ alone', () => {
    const own = Object.assign(new Error('x'), { status: 409, type: 'https://errors.example.com/conflict' });
    expect(fromExpressError(own)).toBe(own);
    expect(fromExpressError('a string')).toBe('a string');
  });
});

describe('fromFastifyError', () => {
  it('keeps no FST_ code on the wire: a 4xx gets its status code, a 5xx nothing', () => {
    const notFound = Object.assign(new Error('Not Found'), { code: 'FST_ERR_NOT_FOUND', statusCode: 404 });
    expect(toProblem(fromFastifyError(notFound)).body).toMatchObject({ status: 404, code: 'NOT_FOUND' });
    const emptyType = Object.assign(new TypeError('The content type cannot be an empty string'), {
      code: 'FST_ERR_CTP_EMPTY_TYPE',
      statusCode: 500,
    });
    expect(toProblem(fromFastifyError(emptyType)).body).toEqual({
      type: 'about:blank',
      title: 'Internal Server Error',
      status: 500,
      code: 'INTERNAL_SERVER_ERROR',
    });
  });

  it('reads a body stream that failed mid-read (ECONNRESET marked 400) as MALFORMED_BODY', () => {
    const reset = Object.assign(new Error('aborted'), { code: 'ECONNRESET', statusCode: 400 });
    expect(toProblem(fromFastifyError(reset)).body).toMatchObject({ status: 400, code: 'MALFORMED_BODY' });
  });

  it('reads ajv validation as VALIDATION_FAILED, 422 or the status asked for', () => {
    const validation = Object.assign(new Error('body/age must be >= 0'), {
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
    expect(toProblem(fromFastifyError(validation)).body).toMatchObject({
      status: 422,
      code: 'VALIDATION_FAILED',
      errors: [
        { pointer: '/age', message: 'must be >= 0', code: 'minimum' },
        { pointer: '/name', message: "must have required property 'name'", code: 'required' },
      ],
    });
    expect(toProblem(fromFastifyError(validation, { validationStatus: 400 })).status).toBe(400);
  });
});
