// The middleware context every fetch-style Plinth package declares for itself (SEAMS §A), and the
// framework-free request view the core reads: headers only, never a WHATWG Request.

/** The context a fetch-style middleware receives (@plinth/http's `ctx` is one). */
export interface MiddlewareContext {
  /** Upper-case method. */
  readonly method: string;
  /** Raw pathname, no query. */
  readonly path: string;
  /** One request header, case-insensitive. */
  header(name: string): string | undefined;
  /** Aborts when the client goes away. */
  readonly signal: AbortSignal;
  /** The WHATWG Request, lazy: never read by this package. */
  readonly request: Request;
  /** Per-request state; this package writes `user` (the principal). */
  readonly state: object;
  /** The matched route pattern, once known. */
  readonly routePath?: string | undefined;
}

/** A fetch-style middleware. */
export type Middleware = (ctx: MiddlewareContext, next: () => Promise<Response>) => Promise<Response>;

/** What the core reads of a request, whichever framework it came through. */
export interface RequestView {
  readonly method: string;
  readonly path: string;
  /** One request header, case-insensitive. */
  header(name: string): string | undefined;
}
