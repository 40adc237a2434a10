// The fetch-style middleware seam, declared here structurally (no import of any router): the context a
// router such as @plinth/http hands to `(ctx, next) => Promise<Response>` middleware.
import { pathOf } from './request-scope.js';

/**
 * The per-request context of fetch-style middleware. Middleware reads `method`, `path` and `header()`;
 * `request` may be built lazily by the router (tens of µs on node) and is read only for a body or the
 * full URL — this package's middleware never reads it.
 */
export interface MiddlewareContext {
  /** Upper-case method. */
  readonly method: string;
  /** The raw pathname, without the query. */
  readonly path: string;
  /** One request header, case-insensitive. */
  header(name: string): string | undefined;
  /** Aborts when the client goes away. */
  readonly signal: AbortSignal;
  /** The WHATWG Request; may be built on first read. */
  readonly request: Request;
  /** Per-request state; this package sets `requestId` and `log` on it. */
  readonly state: object;
  /** The matched route pattern (`/orders/:id`), once known. */
  readonly routePath?: string | undefined;
}

/** A fetch-style middleware. */
export type Middleware = (ctx: MiddlewareContext, next: () => Promise<Response>) => Promise<Response>;

/** A bare fetch handler, as `Bun.serve`, `Deno.serve` and `export default { fetch }` take. */
export type FetchHandler = (request: Request) => Promise<Response>;

/** The context for a bare `Request`: what a caller without a router hands to the middleware. */
class RequestOnlyContext implements MiddlewareContext {
  readonly state: object = {};
  readonly routePath: string | undefined = undefined;
  #path: string | undefined = undefined;

  constructor(readonly request: Request) {}

  get method(): string {
    return this.request.method;
  }

  get path(): string {
    this.#path ??= pathOf(this.request.url);
    return this.#path;
  }

  get signal(): AbortSignal {
    return this.request.signal;
  }

  header(name: string): string | undefined {
    return this.request.headers.get(name) ?? undefined;
  }
}

/**
 * Runs `middleware` in order around a bare `(request) => Response` handler, for code that has a Request
 * and no router (Bun.serve, Deno.serve, a serverless `fetch` export).
 * @example
 * export default { fetch: wrapHandler([requestLogger(), errorHandler()], (request) => app(request)) };
 */
export function wrapHandler(
  middleware: readonly Middleware[],
  handler: (request: Request, ctx: MiddlewareContext) => Response | Promise<Response>,
): FetchHandler {
  return (request) => {
    const ctx = new RequestOnlyContext(request);
    const dispatch = (index: number): Promise<Response> => {
      const current = middleware[index];
      if (current === undefined) return Promise.resolve().then(() => handler(request, ctx));
      return current(ctx, () => dispatch(index + 1));
    };
    return dispatch(0);
  };
}
