// The health endpoints as a fetch-style middleware `(ctx, next) => Promise<Response>`.
import type { Health } from '../health.js';

/** The least a fetch-style middleware context carries. */
export interface MiddlewareContext {
  request: Request;
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
  return async (ctx, next) => (await health.handle(ctx.request)) ?? next();
}
