// @plinth/http binding, structural (no import): every definition becomes `app.on(method, path,
// { meta }, handler)`, so `app.routes` lists it with its RouteMeta; and the request-scope middleware.
import { type BindOptions, bindAll, type IncomingRequest } from '../bind.js';
import type { Container } from '../container.js';
import type { BindableDefinition } from '../definition.js';
import { byteLength, type Outgoing } from '../outgoing.js';
import { disposeOnAbort, scopeStorage } from '../request-scope.js';

/** The part of @plinth/http's request context a bound definition reads. */
export interface HttpRouteContext {
  readonly method: string;
  readonly path: string;
  readonly routePath?: string | undefined;
  readonly params: Record<string, string>;
  readonly signal: AbortSignal;
  readonly request: Request;
  readonly query?: { toObject(): Record<string, string | string[]> };
  readonly body?: { json(): Promise<unknown> };
  header(name: string): string | undefined;
  /**
   * Makes the Response (optional): @plinth/http's lazy one, which its node adapter writes in one
   * `writeHead` + `end`. Without it (an older @plinth/http, a hand-written host) the binding builds an
   * undici `Response`, which node then has to stream.
   */
  respond?(body: string | null, init?: { status?: number; headers?: Record<string, string> }): Response;
}

/** What the binding needs from an @plinth/http app or group: `on(method, path, { meta }, handler)`. */
export interface HttpRoutes {
  on(
    method: string,
    path: string,
    options: { meta: Record<string, unknown> },
    handler: (ctx: HttpRouteContext) => Response | Promise<Response>,
  ): unknown;
}

/** Middleware in @plinth/http's `(ctx, next) => Response` shape. */
export type HttpMiddleware = (
  ctx: { readonly signal: AbortSignal },
  next: () => Promise<Response>,
) => Promise<Response>;

// Content-Length counted, not encoded: undici encodes the string body itself, and one more copy per
// response showed in the profile of bench "GET /users/:id via app.fetch()". `ctx.respond` when the host
// has it: an undici Response cost the reference app's `GET /` ~10% of its CPU to build and ~14% more
// to stream on node (cpu profile under autocannon -c50); the lazy one is written in one go.
function toResponse(ctx: HttpRouteContext, outgoing: Outgoing): Response {
  const { status, headers, body } = outgoing;
  if (body !== undefined) headers['content-length'] = String(byteLength(body));
  if (ctx.respond !== undefined) return ctx.respond(body ?? null, { status, headers });
  return new Response(body ?? null, { status, headers });
}

function queryOf(ctx: HttpRouteContext): Record<string, string | string[]> {
  if (ctx.query !== undefined) return ctx.query.toObject();
  const result: Record<string, string | string[]> = {};
  for (const [name, value] of new URL(ctx.request.url).searchParams) {
    const existing = result[name];
    result[name] =
      existing === undefined ? value : Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  return result;
}

function bodyOf(ctx: HttpRouteContext): unknown {
  const length = ctx.header('content-length');
  const noBody = ctx.header('transfer-encoding') === undefined && (length === undefined || length === '0');
  if (noBody && ctx.header('content-type') === undefined) return undefined;
  return ctx.body !== undefined ? ctx.body.json() : ctx.request.json();
}

// A class, not an object literal of closures: one allocation per request (bench "GET /users/:id via
// app.fetch()", definition without schemas).
class HttpIncoming implements IncomingRequest {
  readonly method: string;
  readonly path: string;
  readonly routePath: string;
  readonly params: Record<string, string>;
  scope: IncomingRequest['scope'] = undefined;
  readonly raw: HttpRouteContext;

  constructor(ctx: HttpRouteContext, routePath: string) {
    this.method = ctx.method;
    this.path = ctx.path;
    this.routePath = ctx.routePath ?? routePath;
    this.params = ctx.params;
    this.raw = ctx;
  }

  get signal(): AbortSignal {
    return this.raw.signal;
  }

  header(name: string): string | undefined {
    return this.raw.header(name);
  }

  query(): Record<string, string | string[]> {
    return queryOf(this.raw);
  }

  headers(): Record<string, string> {
    return Object.fromEntries(this.raw.request.headers);
  }

  body(): unknown {
    return bodyOf(this.raw);
  }
}

/**
 * Adds every definition to an @plinth/http app (or group) as a route carrying its RouteMeta.
 *
 * @example
 * const app = createApp();
 * bindHttp(app, [getUser, createUser], { container });
 */
export function bindHttp(
  app: HttpRoutes,
  definitions: readonly BindableDefinition[],
  options?: BindOptions,
): void {
  for (const { definition, run } of bindAll(definitions, options)) {
    app.on(
      definition.method,
      definition.path,
      { meta: definition.meta as Record<string, unknown> },
      (ctx) => {
        // No async function, and a definition that answers synchronously gets its Response back
        // synchronously: @plinth/http then wraps it in the one promise the chain needs, where a promise
        // from here cost it a then() more (callgrind, apps/reference GET /). What `run` throws (only
        // with forwardErrors) leaves as a rejection, as from an async handler.
        try {
          const outgoing = run(new HttpIncoming(ctx, definition.path));
          return outgoing instanceof Promise
            ? outgoing.then((value) => toResponse(ctx, value))
            : toResponse(ctx, outgoing);
        } catch (error) {
          return Promise.reject(error);
        }
      },
    );
  }
}

function noop(): void {}

/**
 * @plinth/http middleware opening a request scope of `container` around the rest of the chain
 * (AsyncLocalStorage), disposed when the response is ready or the client aborts.
 */
export function requestScope(container: Container): HttpMiddleware {
  return async (ctx, next) => {
    const scope = container.createScope();
    let stop = noop;
    // Listen for the abort only once the scope holds something to release (ctx.signal is not free).
    scope.onFirstDisposable(() => {
      stop = disposeOnAbort(scope, ctx.signal, (error) => container.reportDisposeError(error));
    });
    try {
      return await scopeStorage.run(scope, next);
    } finally {
      stop();
      await scope.dispose().catch((error: unknown) => container.reportDisposeError(error));
    }
  };
}
