// @plinth/http binding, structural (no import): every definition becomes `app.on(method, path,
// { meta }, handler)`, so `app.routes` lists it with its RouteMeta; and the request-scope middleware.
import { type BindOptions, bindAll, type IncomingRequest } from '../bind.js';
import type { Container } from '../container.js';
import type { BindableDefinition } from '../definition.js';
import type { Outgoing } from '../outgoing.js';
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
}

/** What the binding needs from an @plinth/http app or group: `on(method, path, { meta }, handler)`. */
export interface HttpRoutes {
  on(
    method: string,
    path: string,
    options: { meta: Record<string, unknown> },
    handler: (ctx: HttpRouteContext) => Promise<Response>,
  ): unknown;
}

/** Middleware in @plinth/http's `(ctx, next) => Response` shape. */
export type HttpMiddleware = (
  ctx: { readonly signal: AbortSignal },
  next: () => Promise<Response>,
) => Promise<Response>;

const encoder = new TextEncoder();

// Encoded once here, so Content-Length is exact on every runtime (Bun and Deno have no Buffer global).
function toResponse(outgoing: Outgoing): Response {
  const { headers } = outgoing;
  if (outgoing.body === undefined) return new Response(null, { status: outgoing.status, headers });
  const bytes = encoder.encode(outgoing.body);
  headers['content-length'] = String(bytes.byteLength);
  return new Response(bytes, { status: outgoing.status, headers });
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

function incoming(ctx: HttpRouteContext, routePath: string): IncomingRequest {
  return {
    method: ctx.method,
    path: ctx.path,
    routePath: ctx.routePath ?? routePath,
    params: ctx.params,
    query: () => queryOf(ctx),
    headers: () => Object.fromEntries(ctx.request.headers),
    body: () => bodyOf(ctx),
    header: (name) => ctx.header(name),
    get signal() {
      return ctx.signal;
    },
    scope: undefined,
    raw: ctx,
  };
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
      async (ctx) => toResponse(await run(incoming(ctx, definition.path))),
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
