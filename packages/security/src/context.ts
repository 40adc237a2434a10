// The middleware context every fetch-style Plinth package declares for itself (SEAMS §A), and the
// framework-free request view the core of this package reads (method, path, headers, peer address).

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
  /** The WHATWG Request, lazy: never read on the hot path. */
  readonly request: Request;
  /** Per-request state; this package keeps its keys under `security`. */
  readonly state: object;
  /** The matched route pattern, once known. */
  readonly routePath?: string | undefined;
  /**
   * The TCP peer's address, when the host knows it (@plinth/http's `ctx.remoteAddress`; undefined
   * in-process). The default client address of `rateLimit` when no `peer` option is given.
   */
  readonly remoteAddress?: string | undefined;
}

/** A fetch-style middleware. */
export type Middleware = (ctx: MiddlewareContext, next: () => Promise<Response>) => Promise<Response>;

/** What the core reads of a request, whichever framework it came through. */
export interface RequestView {
  readonly method: string;
  readonly path: string;
  readonly routePath?: string | undefined;
  /** Lower-case header name; repeated headers joined with ", ". */
  header(name: string): string | undefined;
  /** The TCP peer's address (the socket's remoteAddress), when the runtime tells it. */
  readonly peer: string | undefined;
  /** The framework's state object, for key functions (`state.user`). */
  readonly state?: object | undefined;
}

/** The state keys this package writes on `ctx.state.security` / `res.locals.security` / `request.security`. */
export interface SecurityState {
  /** The CSP nonce of this response, when `contentSecurityPolicy.nonce` is on. */
  nonce?: string;
  /** The CSRF token to embed in forms / hand to the SPA. */
  csrfToken?: string;
}

/** Internal: the `security` object on a state bag, created on first use. */
export function securityState(state: object): SecurityState {
  const bag = state as { security?: SecurityState };
  bag.security ??= {};
  return bag.security;
}

/**
 * Internal: `csrfToken` on `state`'s security bag, issued by `issue` on its first read (a request that
 * never renders a form signs nothing); `onCookie` gets the Set-Cookie of a new token.
 */
export function lazyCsrfToken(
  state: object,
  issue: () => { token: string; setCookie?: string } | undefined,
  onCookie: (setCookie: string) => void,
): void {
  let token: string | undefined;
  Object.defineProperty(securityState(state), 'csrfToken', {
    configurable: true,
    enumerable: true,
    get: () => {
      if (token === undefined) {
        const issued = issue()!;
        token = issued.token;
        if (issued.setCookie !== undefined) onCookie(issued.setCookie);
      }
      return token;
    },
  });
}
