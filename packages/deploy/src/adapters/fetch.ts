// The health endpoints as a fetch-style middleware `(ctx, next) => Promise<Response>`.
import type { Health } from '../health.js';
import { renderHealthResponse } from '../health-http.js';

/**
 * The middleware context every Plinth package declares for itself (ARCHITECTURE.md): @plinth/http's
 * `Context` satisfies it. The health middleware reads `method` and `path` only; `request` (built
 * lazily by the host, tens of µs on node) is read on a health path alone, and only when the
 * `verbose` option may apply and the query or the Request is needed.
 */
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

/**
 * A middleware that answers the health endpoints and passes every other request on, for
 * `(ctx, next) => Promise<Response>` stacks such as @plinth/http. For a bare fetch handler use
 * `health.fetch`.
 *
 * @example
 * app.use(healthMiddleware(health));
 */
export function healthMiddleware(
  health: Health,
): (ctx: MiddlewareContext, next: () => Promise<Response>) => Promise<Response> {
  const paths = new Set<string>(Object.values(health.paths));
  // Not an async function: every other request returns next()'s own promise, with no promise, await or
  // frame of ours around it (bench "GET / behind the composed stack", apps/reference/bench).
  return (ctx, next) => (paths.has(ctx.path) ? answer(health, ctx, next) : next());
}

/** A request on one of the health paths: the probe's answer, or next() when the probe passes it on. */
async function answer(
  health: Health,
  ctx: MiddlewareContext,
  next: () => Promise<Response>,
): Promise<Response> {
  const response = await health.respond({
    method: ctx.method,
    pathname: ctx.path,
    search: () => new URL(ctx.request.url).search,
    request: () => ctx.request,
  });
  return response === undefined ? next() : renderHealthResponse(response);
}
