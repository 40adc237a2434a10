// The shared middleware context (ARCHITECTURE.md, SEAMS §A), declared here so that no Plinth package
// imports another: @plinth/http's Context satisfies it.

/** What fetch-style middleware receives. */
export interface MiddlewareContext {
  /** Upper-case method. */
  readonly method: string;
  /** The raw pathname, no query. */
  readonly path: string;
  /** One request header, case-insensitive. */
  header(name: string): string | undefined;
  /** Aborts when the client goes away. */
  readonly signal: AbortSignal;
  /** The WHATWG Request; read only for the body or the full URL. */
  readonly request: Request;
  /** Per-request state; this package keeps its results under `validated`. */
  readonly state: object;
  /** The matched route pattern (`/users/:id`), once known. */
  readonly routePath?: string | undefined;
}

/** Calls the rest of the chain. */
export type Next = () => Promise<Response>;

/** Fetch-style middleware. */
export type Middleware = (ctx: MiddlewareContext, next: Next) => Promise<Response>;
