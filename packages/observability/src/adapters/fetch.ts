// Fetch-style middleware `(ctx, next) => Promise<Response>`: request logging and problem+json error handling.
import { type ErrorHandlerOptions, reportError } from '../error-report.js';
import {
  beginRequest,
  pathOf,
  type RequestLoggerOptions,
  resolveRequestLoggerOptions,
} from '../request-scope.js';

/** The per-request context a fetch-style router passes to middleware (declared here, structurally). */
export interface MiddlewareContext {
  /** The incoming request. */
  request: Request;
  /** Per-request state shared by middleware; this package sets `requestId` and `log`. */
  state: Record<string, unknown>;
  /** The matched route pattern (`/orders/:id`), when the router knows it. */
  routePath?: string | undefined;
  /** Aborted when the client goes away. */
  signal?: AbortSignal | undefined;
}

/** A fetch-style middleware. */
export type Middleware = (ctx: MiddlewareContext, next: () => Promise<Response>) => Promise<Response>;

/**
 * Fetch middleware that gives each request an id (echoed in `X-Request-Id`), a server span and a
 * context for `getLogger()`, and writes one line when the response is ready.
 * @example
 * app.use(requestLogger({ logger: createLogger() }));
 * app.use(errorHandler());
 */
export function requestLogger(options: RequestLoggerOptions = {}): Middleware {
  const config = resolveRequestLoggerOptions(options);
  return async (ctx, next) => {
    const { request } = ctx;
    const scope = beginRequest(
      { method: request.method, path: pathOf(request.url), header: (name) => request.headers.get(name) },
      config,
    );
    ctx.state.requestId = scope.requestId;
    Object.defineProperty(ctx.state, 'log', {
      get: () => scope.context.log,
      enumerable: true,
      configurable: true,
    });
    let response: Response;
    try {
      response = await scope.run(next);
    } catch (error) {
      scope.finish(500, { route: ctx.routePath, error });
      throw error;
    }
    response = withHeader(response, scope.requestIdHeader, scope.requestId);
    scope.finish(response.status, {
      route: ctx.routePath,
      aborted: ctx.signal?.aborted === true || request.signal.aborted,
    });
    return response;
  };
}

/**
 * Fetch middleware that turns anything thrown downstream into an RFC 9457 problem+json response;
 * unknown errors become a bare 500 for the client while the full error is logged.
 * @example
 * app.use(errorHandler({ typeBase: 'https://errors.example.com/' }));
 */
export function errorHandler(options: ErrorHandlerOptions = {}): Middleware {
  return async (ctx, next) => {
    try {
      return await next();
    } catch (error) {
      const problem = reportError(error, pathOf(ctx.request.url), options);
      return new Response(JSON.stringify(problem.body), { status: problem.status, headers: problem.headers });
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
