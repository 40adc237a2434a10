// Test scaffolding: a tiny fetch-style router stand-in that builds the SEAMS §A context from a Request
// (as @plinth/http does: method, path and header() without touching the Request) and runs middleware.
import type { Middleware, MiddlewareContext } from '../src/adapters/fetch.js';

/** The context as the handler sees it: the same object the middleware saw, with a typed state. */
export type HandlerContext = MiddlewareContext & { readonly state: Record<string, unknown> };

/** The last step of the chain: gets the same ctx the middleware saw. */
export type Handler = (ctx: HandlerContext) => Promise<Response> | Response;

/** Runs `middleware` in order around `handler`; `routePath` plays the router's matched pattern. */
export function compose(middleware: Middleware[], handler: Handler) {
  return (request: Request, routePath?: string): Promise<Response> => {
    const url = new URL(request.url);
    const ctx: HandlerContext = {
      method: request.method,
      path: url.pathname,
      header: (name) => request.headers.get(name) ?? undefined,
      signal: request.signal,
      request,
      state: {},
      routePath,
    };
    const dispatch = (index: number): Promise<Response> => {
      const current = middleware[index];
      if (current === undefined) return Promise.resolve().then(() => handler(ctx));
      return current(ctx, () => dispatch(index + 1));
    };
    return dispatch(0);
  };
}
