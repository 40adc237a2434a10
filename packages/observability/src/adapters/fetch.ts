// Fetch-style middleware `(ctx, next) => Promise<Response>`: request logging and problem+json error handling.
// Both read only `method`, `path` and `header()` of the context: on node a router builds `ctx.request` (an
// undici Request with its AbortSignal, ~50 µs) only when someone reads it, and these never do.

import { type ErrorHandlerOptions, reportError } from '../error-report.js';
import type { Logger } from '../logger.js';
import type { Middleware, MiddlewareContext } from '../middleware-context.js';
import { renderProblem, statusOf } from '../problem.js';
import {
  beginRequest,
  type RequestLoggerOptions,
  type RequestScope,
  resolveRequestLoggerOptions,
} from '../request-scope.js';

export type { Middleware, MiddlewareContext };

// `ctx.state.log` is a getter shared by every request, reading the scope kept under a symbol: no closure
// and no descriptor object per request (bench "request logging", fetch middleware case).
const scopeKey = Symbol.for('@plinth/observability.scope');
type ObservedState = Record<string | symbol, unknown> & { [scopeKey]?: RequestScope };
const logDescriptor: PropertyDescriptor = {
  get(this: ObservedState): Logger | undefined {
    return this[scopeKey]?.context.log;
  },
  enumerable: true,
  configurable: true,
};

/**
 * Fetch middleware that gives each request an id (echoed in `X-Request-Id`), a server span and a
 * context for `getLogger()`, and writes one line when the response is ready. An error that escapes
 * is logged at its own status (a thrown `NotFoundError` is a 404 at `warn`) and rethrown.
 * @example
 * app.use(requestLogger({ logger: createLogger() }));
 * app.use(errorHandler());
 */
export function requestLogger(options: RequestLoggerOptions = {}): Middleware {
  const config = resolveRequestLoggerOptions(options);
  return async (ctx, next) => {
    // The context is the core's IncomingRequest as it is: method, path, header().
    const scope = beginRequest(ctx, config);
    const state = ctx.state as ObservedState;
    state.requestId = scope.requestId;
    state[scopeKey] = scope;
    Object.defineProperty(state, 'log', logDescriptor);
    let response: Response;
    try {
      response = await scope.run(next);
    } catch (error) {
      scope.finish(statusOf(error), ctx.routePath, error);
      throw error;
    }
    // ctx.signal is not read to tell an aborted client: on node it would build an AbortController and
    // a 'close' listener per request (bench "request logging", fetch middleware case). The Express and
    // Fastify adapters, which see the socket, log aborted requests.
    scope.finish(response.status, ctx.routePath);
    return withHeader(response, scope.requestIdHeader, scope.requestId);
  };
}

/**
 * Fetch middleware that turns anything thrown downstream into an RFC 9457 problem+json response
 * (with `Content-Length`); unexposed errors become a bare problem for the client while the full error
 * is logged.
 * @example
 * app.use(errorHandler({ typeBase: 'https://errors.example.com/' }));
 */
export function errorHandler(options: ErrorHandlerOptions = {}): Middleware {
  return async (ctx, next) => {
    try {
      return await next();
    } catch (error) {
      const problem = reportError(error, ctx.path, options);
      const { payload, headers } = renderProblem(problem);
      return new Response(payload, { status: problem.status, headers });
    }
  };
}

// Responses from fetch() or Response.redirect() have immutable headers; copy those before setting.
function withHeader(response: Response, name: string, value: string): Response {
  try {
    response.headers.set(name, value);
    return response;
  } catch {
    const copy = new Response(response.body, response);
    copy.headers.set(name, value);
    return copy;
  }
}
