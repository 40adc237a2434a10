// The fetch-style middleware `(ctx, next) => Promise<Response>` (SEAMS §A) for @plinth/http and any
// stack with that context: the OpenAPI endpoints, Server-Timing and the development error page.
import { isProduction, renderErrorPage, showsErrorPage } from '../dev-error-page.js';
import type { MiddlewareContext } from '../middleware-context.js';
import { createOpenApiResponder, type OpenApiEndpointsOptions } from '../openapi-endpoints.js';
import { RequestTimer, type ServerTimingOptions, TIMER_KEY, timingSettings } from '../server-timing.js';

type Next = () => Promise<Response>;

/**
 * Serves the OpenAPI document (`/openapi.json`) and the docs page (`/docs`) and passes every other
 * request on. Reads only `method` and `path` of the context.
 *
 * @example
 * app.use(openApi({ source: app, info: { title: 'Shop', version: '1.0.0' } }));
 */
export function openApi(
  options: OpenApiEndpointsOptions,
): (ctx: MiddlewareContext, next: Next) => Promise<Response> {
  const respond = createOpenApiResponder(options);
  // Not async: every other request gets next()'s own promise, no wrapper promise resolved with it
  // (cpu profile of apps/reference GET /: a thenable job and two promises per pass-through layer).
  return (ctx, next) => {
    try {
      const answer = respond(ctx.method, ctx.path);
      return answer === undefined ? next() : Promise.resolve(answer);
    } catch (error) {
      return Promise.reject(error);
    }
  };
}

/**
 * Times the request: the outermost middleware. Sends `Server-Timing` with each {@link timed}
 * middleware's own time, the handler's and the total (in development, or with `header: true`), and
 * logs requests slower than `slowThreshold`.
 *
 * @example
 * app.use(serverTiming({ slowThreshold: 500 }));
 * app.use(timed('auth', auth));
 */
export function serverTiming(
  options: ServerTimingOptions = {},
): (ctx: MiddlewareContext, next: Next) => Promise<Response> {
  const settings = timingSettings(options);
  if (!settings.active) return (_ctx, next) => next();
  return async (ctx, next) => {
    const timer = new RequestTimer();
    (ctx.state as Record<symbol, unknown>)[TIMER_KEY] = timer;
    let status: number | undefined;
    try {
      let response = await timer.section(undefined, (timedNext) => timedNext(), next);
      status = response.status;
      if (settings.header) {
        response = withHeader(
          response,
          'server-timing',
          timer.header(performance.now() - timer.started, settings.eventLoop),
        );
      }
      return response;
    } finally {
      const route = ctx.routePath;
      timer.logIfSlow(settings, performance.now() - timer.started, {
        method: ctx.method,
        path: ctx.path,
        route,
        status,
      });
    }
  };
}

/**
 * Wraps a middleware so {@link serverTiming} reports its own time (what it awaited in `next()` not
 * counted) as `name`. Without `serverTiming` in front it just runs the middleware.
 */
export function timed<Context extends MiddlewareContext>(
  name: string,
  middleware: (ctx: Context, next: Next) => Response | Promise<Response>,
): (ctx: Context, next: Next) => Promise<Response> {
  return async (ctx, next) => {
    const timer = (ctx.state as Record<symbol, unknown>)[TIMER_KEY] as RequestTimer | undefined;
    if (timer === undefined) return middleware(ctx, next);
    return timer.section(name, async (timedNext) => middleware(ctx, timedNext), next);
  };
}

/**
 * Answers a server error with an HTML page (stack, cause chain, request details) when a browser asked
 * and NODE_ENV is not "production"; otherwise rethrows for your error handler. Outside development it
 * is a plain pass-through, and it checks NODE_ENV again at every error.
 */
export function devErrorPage(): (ctx: MiddlewareContext, next: Next) => Promise<Response> {
  if (isProduction()) return (_ctx, next) => next();
  // One catch() on next()'s promise, no async wrapper: this runs on every request in development.
  return (ctx, next) => {
    let rest: Promise<Response>;
    try {
      // Promise.resolve hands a native promise back as it is; a hand-written next() may return a Response.
      rest = Promise.resolve(next());
    } catch (error) {
      rest = Promise.reject(error);
    }
    return rest.catch((error: unknown) => errorPage(ctx, error));
  };
}

// The Request is read only here, for a server error a browser asked about.
function errorPage(ctx: MiddlewareContext, error: unknown): Response {
  if (!showsErrorPage(error, ctx.header('accept'))) throw error;
  const html = renderErrorPage(error, {
    method: ctx.method,
    url: ctx.request.url,
    headers: ctx.request.headers,
    route: ctx.routePath,
  });
  return new Response(html, {
    status: 500,
    headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' },
  });
}

function withHeader(response: Response, name: string, value: string): Response {
  try {
    response.headers.set(name, value);
    return response;
  } catch {
    // Immutable headers (a Response from fetch() or Response.redirect): copy it once.
    const copy = new Response(response.body, response);
    copy.headers.set(name, value);
    return copy;
  }
}
