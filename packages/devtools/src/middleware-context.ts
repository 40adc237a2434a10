// The middleware context every Plinth package declares for itself (SEAMS §A); @plinth/http's `Context`
// satisfies it. devtools' middleware reads method, path and header(); `request` only for the error page.

/** The per-request context of a `(ctx, next) => Promise<Response>` middleware stack. */
export interface MiddlewareContext {
  /** The method, upper case. */
  readonly method: string;
  /** The raw pathname, without the query. */
  readonly path: string;
  /** A request header, case-insensitive. */
  header(name: string): string | undefined;
  /** Aborts when the client goes away. */
  readonly signal: AbortSignal;
  /** The full WHATWG Request; lazy, read only for the body or the full URL. */
  readonly request: Request;
  /** Per-request bag; each package keeps its own key(s). */
  readonly state: object;
  /** The matched route pattern, once known. */
  readonly routePath?: string | undefined;
}

/** A fetch-style middleware. */
export type Middleware = (ctx: MiddlewareContext, next: () => Promise<Response>) => Promise<Response>;
