import type { Logger as PinoLogger } from 'pino';
import { describe, expectTypeOf, it } from 'vitest';
import type { Middleware } from './adapters/fetch.js';
import { requestLogger } from './adapters/fetch.js';
import type { ObservabilityErrorCode } from './errors.js';
import type { HttpError, NotFoundError } from './http-error.js';
import type { Logger } from './logger.js';

describe('types', () => {
  it('a pino logger is a Logger', () => {
    expectTypeOf<PinoLogger>().toExtend<Logger>();
  });

  it('console is not a Logger (no child)', () => {
    expectTypeOf<Console>().not.toExtend<Logger>();
  });

  it('the fetch middleware has the (ctx, next) => Promise<Response> shape', () => {
    expectTypeOf(requestLogger()).toEqualTypeOf<Middleware>();
    expectTypeOf<Parameters<Middleware>[1]>().toEqualTypeOf<() => Promise<Response>>();
  });

  it('HTTP errors are Errors with a status and a code', () => {
    expectTypeOf<NotFoundError>().toExtend<HttpError>();
    expectTypeOf<HttpError['status']>().toEqualTypeOf<number>();
    expectTypeOf<ObservabilityErrorCode>().toEqualTypeOf<
      | 'ERR_OBSERVABILITY_INVALID_OPTIONS'
      | 'ERR_OBSERVABILITY_INVALID_STATUS'
      | 'ERR_OBSERVABILITY_PRETTY_UNAVAILABLE'
    >();
  });
});
