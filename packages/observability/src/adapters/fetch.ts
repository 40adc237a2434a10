// Fetch-style middleware `(ctx, next) => Promise<Response>`: request logging and problem+json error handling.
// Both read only `method`, `path` and `header()` of the context: on node a router builds `ctx.request` (an
// undici Request with its AbortSignal, ~50 µs) only when someone reads it, and these never do.

import { type ErrorHandlerOptions, reportError } from '../error-report.js';
import type { Middleware, MiddlewareContext } from '../middleware-context.js';
import { renderProblem, statusOf } from '../problem.js';
import { RequestLog } from '../request-log.js';
import {
  beginRequest,
  contextOf,
  keepContext,
  type RequestLoggerOptions,
  resolveRequestLoggerOptions,
} from '../request-scope.js';

export type { Middleware, MiddlewareContext };

// What the middleware keeps on `ctx.state`: `requestId`, and `log`, a logger that makes the request's child
// logger on first use (request-log.ts).
type ObservedState = Record<string, unknown>;

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
  // Not an async function: the response and the error are handled in one then() on next()'s promise, with
  // no async frame and no awaited promise per request (bench "request logging", fetch middleware case).
  return (ctx, next) => {
    // The context is the core's IncomingRequest as it is: method, path, header().
    const scope = beginRequest(ctx, config);
    const state = ctx.state as ObservedState;
    state.requestId = scope.requestId;
    state.log = new RequestLog(scope.context);
    keepContext(state, scope);
    let pending: Promise<Response>;
    try {
      pending = Promise.resolve(scope.run(next));
    } catch (error) {
      scope.finish(statusOf(error), ctx.routePath, error);
      return Promise.reject(error);
    }
    return pending.then(
      (response) => {
        // ctx.signal is not read to tell an aborted client: on node it would build an AbortController and
        // a 'close' listener per request (bench "request logging", fetch middleware case). The Express and
        // Fastify adapters, which see the socket, log aborted requests.
        scope.finish(response.status, ctx.routePath);
        return withHeader(response, scope.requestIdHeader, scope.requestId);
      },
      (error: unknown) => {
        scope.finish(statusOf(error), ctx.routePath, error);
        throw error;
      },
    );
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
  const answer = (error: unknown, ctx: MiddlewareContext): Response => {
    // The request's ids and logger from ctx.state, where requestLogger keeps them (with or without the
    // AsyncLocalStorage context), else from the context.
    const problem = reportError(error, ctx.path, options, undefined, contextOf(ctx.state));
    const { payload, headers } = renderProblem(problem);
    return new Response(payload, { status: problem.status, headers });
  };
  // Not an async function: a response passes through next()'s promise and one then() (bench "request logging").
  return (ctx, next) => {
    let pending: Promise<Response>;
    try {
      pending = Promise.resolve(next());
    } catch (error) {
      return Promise.resolve(answer(error, ctx));
    }
    return pending.then(undefined, (error: unknown) => answer(error, ctx));
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
