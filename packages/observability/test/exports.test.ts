// The public API, entry point by entry point: a change here is a change users see.
import { describe, expect, it } from 'vitest';

// Type exports are in api-report.md, which the package contract (pnpm check) compares with the build.
describe('public exports', () => {
  it('every entry exports exactly these values', async () => {
    expect({
      '.': Object.keys(await import('../src/index.js')).sort(),
      './express': Object.keys(await import('../src/adapters/express.js')).sort(),
      './fastify': Object.keys(await import('../src/adapters/fastify.js')).sort(),
    }).toMatchInlineSnapshot(`
      {
        ".": [
          "BadRequestError",
          "ConflictError",
          "ForbiddenError",
          "HttpError",
          "NotFoundError",
          "ObservabilityError",
          "PROBLEM_CONTENT_TYPE",
          "ServiceUnavailableError",
          "TooManyRequestsError",
          "UnauthorizedError",
          "ValidationError",
          "createLogger",
          "createRedactor",
          "errorHandler",
          "getLogger",
          "getRequestContext",
          "injectTraceContext",
          "installProcessHandlers",
          "isHttpError",
          "problemResponse",
          "requestLogger",
          "setDefaultLogger",
          "toProblem",
          "traceHeaders",
          "wrapHandler",
        ],
        "./express": [
          "errorHandler",
          "requestLogger",
        ],
        "./fastify": [
          "errorHandler",
          "frameworkErrors",
          "requestLogger",
        ],
      }
    `);
  });
});
