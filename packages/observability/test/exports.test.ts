// The public API, entry point by entry point: a change here is a change users see.
import { describe, expect, it } from 'vitest';

describe('public exports', () => {
  it('"." exports exactly these names', async () => {
    const names = Object.keys(await import('../src/index.js')).sort();
    expect(names).toEqual([
      'BadRequestError',
      'ConflictError',
      'ForbiddenError',
      'HttpError',
      'NotFoundError',
      'ObservabilityError',
      'PROBLEM_CONTENT_TYPE',
      'ServiceUnavailableError',
      'TooManyRequestsError',
      'UnauthorizedError',
      'ValidationError',
      'createLogger',
      'createRedactor',
      'errorHandler',
      'formatTraceparent',
      'getLogger',
      'getRequestContext',
      'injectTraceContext',
      'installProcessHandlers',
      'isHttpError',
      'isValidRequestId',
      'parseTraceparent',
      'parseTracestate',
      'problemResponse',
      'requestLogger',
      'resolveRequestId',
      'runWithContext',
      'setDefaultLogger',
      'startServerSpan',
      'toHttpError',
      'toProblem',
      'traceHeaders',
      'wrapHandler',
    ]);
  });

  it('"./express" exports the two middlewares, "./fastify" the two plugins and frameworkErrors', async () => {
    expect(Object.keys(await import('../src/adapters/express.js')).sort()).toEqual([
      'errorHandler',
      'requestLogger',
    ]);
    expect(Object.keys(await import('../src/adapters/fastify.js')).sort()).toEqual([
      'errorHandler',
      'frameworkErrors',
      'requestLogger',
    ]);
  });
});
