// Fetch-style middleware (SEAMS §A): @plinth/http apps, Bun, Deno and any `(ctx, next) => Response`
// host. Each reads ctx.method/path/header() only, and touches ctx.request only to read a CSRF form field.
// Refusals are thrown (SecurityHttpError, the http-errors shape), so the app's error handler answers them.
import { type Middleware, type MiddlewareContext, type RequestView, securityState } from '../context.js';
import { type CorsOptions, createCors } from '../cors.js';
import { type CsrfOptions, createCsrf } from '../csrf.js';
import { invalidOption } from '../errors.js';
import { createRateLimiter, type RateLimiterOptions } from '../rate-limit.js';
import { createSecureHeaders, type SecureHeadersOptions } from '../secure-headers.js';

/** How the fetch middleware learns the TCP peer (the runtime knows it, the context does not). */
export interface PeerOption {
  /**
   * The socket's remote address: Bun `server.requestIP(request)?.address`, Deno `info.remoteAddr.hostname`,
   * @plinth/http under Express `state: (req) => ({ peer: req.socket.remoteAddress })` then `(ctx) => ctx.state.peer`.
   */
  peer?: (ctx: MiddlewareContext) => string | undefined;
}

/** Options of the fetch {@link rateLimit} middleware. */
export type RateLimitMiddlewareOptions = RateLimiterOptions & PeerOption;

function viewOf(ctx: MiddlewareContext, peer: PeerOption['peer']): RequestView {
  return {
    method: ctx.method,
    path: ctx.path,
    routePath: ctx.routePath,
    header: (name) => ctx.header(name),
    peer: peer?.(ctx),
    state: ctx.state,
  };
}

function setAll(target: Headers, headers: ReadonlyArray<readonly [string, string]>, append: boolean): void {
  for (const [name, value] of headers) {
    if (append || name === 'vary' || name === 'set-cookie') target.append(name, value);
    else target.set(name, value);
  }
}

/** Sets headers on a response, copying it first when its headers are immutable (a fetch() answer). */
function withHeaders(
  response: Response,
  headers: ReadonlyArray<readonly [string, string]>,
  append: boolean,
): Response {
  try {
    setAll(response.headers, headers, append);
    return response;
  } catch {
    const copy = new Response(response.body, response);
    setAll(copy.headers, headers, append);
    return copy;
  }
}

/**
 * A thrown error leaves through the host's error handler, outside this middleware: its `headers`
 * (SEAMS §B: always sent) carry ours, so problem answers get the security and CORS headers too.
 */
function withErrorHeaders(error: unknown, headers: ReadonlyArray<readonly [string, string]>): unknown {
  if (typeof error !== 'object' || error === null || headers.length === 0) return error;
  try {
    const target = error as { headers?: Record<string, string> };
    const own: Record<string, string> = { ...(target.headers ?? {}) };
    for (const [name, value] of headers) {
      if (name === 'vary' && own.vary !== undefined) own.vary = `${own.vary}, ${value}`;
      else if (own[name] === undefined) own[name] = value;
    }
    target.headers = own;
  } catch {
    // A frozen error keeps its own headers.
  }
  return error;
}

/**
 * helmet's secure headers on every response; with `contentSecurityPolicy: { nonce: true }` the nonce
 * is at `ctx.state.security.nonce` for the handler's `<script nonce>`.
 *
 * @example
 * app.use(secureHeaders({ contentSecurityPolicy: { nonce: true } }));
 */
export function secureHeaders(options: SecureHeadersOptions = {}): Middleware {
  const compiled = createSecureHeaders(options);
  if (!compiled.usesNonce) {
    return (_ctx, next) =>
      next().then(
        (response) => withHeaders(response, compiled.fixed, false),
        (error: unknown) => Promise.reject(withErrorHeaders(error, compiled.fixed)),
      );
  }
  return (ctx, next) => {
    const nonce = compiled.nonce();
    securityState(ctx.state).nonce = nonce;
    const headers = [...compiled.fixed, compiled.csp(nonce)];
    return next().then(
      (response) => withHeaders(response, headers, false),
      (error: unknown) => Promise.reject(withErrorHeaders(error, headers)),
    );
  };
}

/**
 * CORS: answers preflights itself (204), adds the CORS headers to the rest; insecure options throw at start.
 *
 * @example
 * app.use(cors({ origin: ['https://app.example.com'], credentials: true }));
 */
export function cors(options: CorsOptions): Middleware {
  const compiled = createCors(options);
  return async (ctx, next) => {
    const decision = compiled.decide(viewOf(ctx, undefined));
    if (decision.preflight) {
      const headers = new Headers();
      for (const [name, value] of decision.headers) headers.append(name, value);
      headers.set('content-length', '0');
      return new Response(null, { status: 204, headers });
    }
    let response: Response;
    try {
      response = await next();
    } catch (error) {
      throw withErrorHeaders(error, decision.headers);
    }
    return decision.headers.length === 0 ? response : withHeaders(response, decision.headers, false);
  };
}

async function formField(ctx: MiddlewareContext, field: string): Promise<string | undefined> {
  const type = ctx.header('content-type') ?? '';
  if (!type.startsWith('application/x-www-form-urlencoded') && !type.startsWith('multipart/form-data'))
    return undefined;
  try {
    const value = (await ctx.request.clone().formData()).get(field);
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * CSRF protection: Sec-Fetch-Site and Origin first, the signed token (header or form field) for
 * clients that send neither; a refusal throws a 403 `SecurityHttpError` for the app's error handler. With `token`, safe requests get
 * `ctx.state.security.csrfToken` (and its cookie when new).
 *
 * @example
 * app.use(csrf({ token: { secret: process.env.CSRF_SECRET!, session: (request) => request.header('cookie') ?? '' } }));
 */
export function csrf(options: CsrfOptions = {}): Middleware {
  const compiled = createCsrf(options);
  return async (ctx, next) => {
    const view = viewOf(ctx, undefined);
    let verdict = compiled.check(view);
    if (verdict.kind === 'token')
      verdict = compiled.verifyToken(view, await formField(ctx, compiled.fieldName));
    if (verdict.kind === 'reject') throw verdict.error;
    if (options.token === undefined) return next();
    let setCookie: string | undefined;
    let token: string | undefined;
    Object.defineProperty(securityState(ctx.state), 'csrfToken', {
      configurable: true,
      enumerable: true,
      get: () => {
        if (token === undefined) {
          const issued = compiled.token(view)!;
          token = issued.token;
          setCookie = issued.setCookie;
        }
        return token;
      },
    });
    const response = await next();
    return setCookie === undefined ? response : withHeaders(response, [['set-cookie', setCookie]], true);
  };
}

/**
 * Rate limiting: RateLimit / RateLimit-Policy on every answer; when a policy is exceeded it throws a
 * 429 `SecurityHttpError` carrying Retry-After and the RateLimit headers. Keying by IP needs `peer` (the context has no socket).
 *
 * @example
 * app.use(rateLimit({ store: memoryStore(), policies: [{ name: 'default', limit: 100, windowMs: 60_000 }], peer: (ctx) => ctx.state.peer }));
 */
export function rateLimit(options: RateLimitMiddlewareOptions): Middleware {
  const limiter = createRateLimiter(options);
  if (limiter.needsClientIp && options.peer === undefined) {
    invalidOption(
      "A policy keys by client IP but the fetch middleware was given no peer: pass peer: (ctx) => <the socket's remote address> (trusted proxies are checked against it), or key by user, route or a function.",
    );
  }
  return async (ctx, next) => {
    const decision = await limiter.check(viewOf(ctx, options.peer));
    if (decision.error !== undefined) throw decision.error;
    const response = await next();
    return decision.headers.length === 0 ? response : withHeaders(response, decision.headers, false);
  };
}
