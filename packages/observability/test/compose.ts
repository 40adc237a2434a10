// Test scaffolding: a tiny fetch-style compose that builds ctx from a Request and runs middleware.
import type { Middleware, MiddlewareContext } from '../src/adapters/fetch.js';

/** The last step of the chain: gets the same ctx the middleware saw. */
export type Handler = (ctx: MiddlewareContext) => Promise<Response> | Response;

/** Runs `middleware` in order around `handler`; `routePath` plays the router's matched pattern. */
export function compose(middleware: Middleware[], handler: Handler) {
  return (request: Request, routePath?: string): Promise<Response> => {
    const ctx: MiddlewareContext = { request, state: {}, routePath, signal: request.signal };
    const dispatch = (index: number): Promise<Response> => {
      const current = middleware[index];
      if (current === undefined) return Promise.resolve().then(() => handler(ctx));
      return current(ctx, () => dispatch(index + 1));
    };
    return dispatch(0);
  };
}
