import { describe, expect, it, vi } from 'vitest';
import { ObservabilityError } from './errors.js';
import {
  BadRequestError,
  ConflictError,
  ForbiddenError,
  HttpError,
  isHttpError,
  NotFoundError,
  ServiceUnavailableError,
  TooManyRequestsError,
  UnauthorizedError,
  ValidationError,
} from './http-error.js';
import { defaultCode } from './status.js';

describe('HttpError', () => {
  it('exposes 4xx and hides 5xx by default, and keeps the cause', () => {
    const cause = new Error('db down');
    const client = new HttpError(418, 'short and stout');
    const server = new HttpError(502, 'upstream said no', { cause });
    expect(client).toMatchObject({ status: 418, statusCode: 418, expose: true, code: 'CLIENT_ERROR' });
    expect(server).toMatchObject({ status: 502, expose: false, code: 'BAD_GATEWAY' });
    expect(server.cause).toBe(cause);
    expect(server).toBeInstanceOf(Error);
    expect(isHttpError(server)).toBe(true);
    expect(isHttpError(new Error('x'))).toBe(false);
  });

  it('recognises an HttpError from another copy of the package by its brand', async () => {
    vi.resetModules();
    const copy = await import('./http-error.js');
    const foreign = new copy.NotFoundError('from the other build');
    expect(foreign instanceof HttpError).toBe(false);
    expect(isHttpError(foreign)).toBe(true);
  });

  it('lets the caller override code, expose, public message and extra fields', () => {
    const error = new HttpError(500, 'pool exhausted', {
      code: 'DB_BUSY',
      expose: true,
      detail: 'Try again shortly.',
      extensions: { retryable: true },
    });
    expect(error).toMatchObject({
      code: 'DB_BUSY',
      expose: true,
      detail: 'Try again shortly.',
      extensions: { retryable: true },
    });
  });

  it.each([200, 399, 600, 404.5, Number.NaN])('refuses status %s with a typed error', (status) => {
    expect(() => new HttpError(status)).toThrow(ObservabilityError);
    expect(() => new HttpError(status)).toThrow(/400 to 599/);
  });

  it('has a subclass per common status, with its default code and name', () => {
    const cases: Array<[HttpError, number, string]> = [
      [new BadRequestError(), 400, 'BAD_REQUEST'],
      [new UnauthorizedError(), 401, 'UNAUTHORIZED'],
      [new ForbiddenError(), 403, 'FORBIDDEN'],
      [new NotFoundError(), 404, 'NOT_FOUND'],
      [new ConflictError(), 409, 'CONFLICT'],
      [new ValidationError(), 422, 'VALIDATION_FAILED'],
      [new TooManyRequestsError(), 429, 'TOO_MANY_REQUESTS'],
      [new ServiceUnavailableError(), 503, 'SERVICE_UNAVAILABLE'],
    ];
    for (const [error, status, code] of cases) {
      expect(error.status).toBe(status);
      expect(error.code).toBe(code);
      expect(error.name).toBe(error.constructor.name);
    }
  });

  it('sets Retry-After from seconds (rounded up) or a date, and WWW-Authenticate from a challenge', () => {
    expect(new TooManyRequestsError('slow down', { retryAfter: 1.2 }).headers).toEqual({
      'retry-after': '2',
    });
    const at = new Date('2030-01-01T00:00:00Z');
    expect(new ServiceUnavailableError('draining', { retryAfter: at }).headers).toEqual({
      'retry-after': 'Tue, 01 Jan 2030 00:00:00 GMT',
    });
    expect(new UnauthorizedError('no token', { challenge: 'Bearer realm="api"' }).headers).toEqual({
      'www-authenticate': 'Bearer realm="api"',
    });
    expect(() => new TooManyRequestsError('x', { retryAfter: -1 })).toThrow(/non-negative/);
  });

  it('derives codes from the RFC 9110 phrase, and the subclasses keep theirs', () => {
    expect(defaultCode(451)).toBe('UNAVAILABLE_FOR_LEGAL_REASONS');
    expect(defaultCode(599)).toBe('SERVER_ERROR');
    expect(new HttpError(413).code).toBe('CONTENT_TOO_LARGE');
    expect(new HttpError(422).code).toBe('UNPROCESSABLE_CONTENT');
    expect(new ValidationError().code).toBe('VALIDATION_FAILED');
  });
});
