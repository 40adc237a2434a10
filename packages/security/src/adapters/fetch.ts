// Fetch-style middleware (SEAMS §A): @plinth/http apps, Bun, Deno and any `(ctx, next) => Response`
// host. Each reads ctx.method/path/header() only, and touches ctx.request only to read a CSRF form field.
// Refusals are thrown (SecurityHttpError, the http-errors shape), so the app's error handler answers them.
import {
  lazyCsrfToken,
  type Middleware,
  type MiddlewareContext,
  type RequestView,
  securityState,
} from '../context.js';
import { type CorsDecision, type CorsOptions, createCors } from '../cors.js';
import { type Csrf, type CsrfOptions, type CsrfVerdict, createCsrf } from '../csrf.js';
import { SecurityError } from '../errors.js';
import { createRateLimiter, type RateLimiterOptions } from '../rate-limit.js';
import { createSecureHeaders, type SecureHeadersOptions } from '../secure-headers.js';

/** How the fetch middleware learns the TCP peer, when the context's `remoteAddress` is not it. */
export interface PeerOption {
  /**
   * The socket's remote address; when given it wins over `ctx.remoteAddress`. Default: `ctx.remoteAddress`
   * (@plinth/http sets it). For hosts whose context has none: Bun `server.requestIP(ctx.request)?.address`,
   * Deno `info.remoteAddr.hostname`.
   */
  peer?: (ctx: MiddlewareContext) => string | undefined;
}

/** Options of the fetch {@link rateLimit} middleware. */
export type RateLimitMiddlewareOptions = RateLimiterOptions & PeerOption;

/**
 * The RequestView of a fetch context. A class with `header` on its prototype and `peer`/`state` read on
 * demand: an object literal with a header closure, the peer and the host's state made eagerly cost more
 * than a skipped rate limit or a GET through csrf did otherwise (bench "fetch middleware").
 */
class ContextView implements RequestView {
  readonly method: string;
  readonly path: string;
  readonly routePath: string | undefined;
  readonly #ctx: MiddlewareContext;
  readonly #peer: PeerOption['peer'];

  constructor(ctx: MiddlewareContext, peer: PeerOption['peer']) {
    this.method = ctx.method;
    this.path = ctx.path;
    this.routePath = ctx.routePath;
    this.#ctx = ctx;
    this.#peer = peer;
  }

  header(name: string): string | undefined {
    return this.#ctx.header(name);
  }

  /** The `peer` option's answer when it is given, else the context's remoteAddress. */
  get peer(): string | undefined {
    return this.#peer === undefined ? this.#ctx.remoteAddress : this.#peer(this.#ctx);
  }

  get state(): object {
    return this.#ctx.state;
  }
}

function setAll(target: Headers, headers: ReadonlyArray<readonly [string, string]>, append: boolean): void {
  for (let index = 0; index < headers.length; index++) {
    // Indexed, not destructured: no iterator per header (bench "fetch middleware", secureHeaders row).
    const entry = headers[index]!;
    const name = entry[0];
    if (append || name === 'vary' || name === 'set-cookie') target.append(name, entry[1]);
    else target.set(name, entry[1]);
  }
}

/** next(), a synchronous throw turned into a rejection as in an async middleware (so it gets our headers). */
function callNext(next: () => Promise<Response>): Promise<Response> {
  try {
    return next();
  } catch (error) {
    return Promise.reject(error);
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
  const { fixed } = compiled;
  // The continuations are made once, not per request (bench "fetch middleware", secureHeaders row).
  const answered = (response: Response) => withHeaders(response, fixed, false);
  const failed = (error: unknown) => Promise.reject(withErrorHeaders(error, fixed));
  if (!compiled.usesNonce) return (_ctx, next) => callNext(next).then(answered, failed);
  return (ctx, next) => {
    const nonce = compiled.nonce();
    securityState(ctx.state).nonce = nonce;
    const csp = compiled.csp(nonce);
    return callNext(next).then(
      (response) => withHeaders(withHeaders(response, fixed, false), [csp], false),
      (error: unknown) => Promise.reject(withErrorHeaders(error, [...fixed, csp])),
    );
  };
}

function preflight(headers: ReadonlyArray<readonly [string, string]>): Promise<Response> {
  const answer = new Headers();
  for (const [name, value] of headers) answer.append(name, value);
  answer.set('content-length', '0');
  return Promise.resolve(new Response(null, { status: 204, headers: answer }));
}

/**
 * CORS: answers preflights itself (204), adds the CORS headers to the rest; insecure options throw at start.
 *
 * @example
 * app.use(cors({ origin: ['https://app.example.com'], credentials: true }));
 */
export function cors(options: CorsOptions): Middleware {
  const compiled = createCors(options);
  return (ctx, next) => {
    let decision: CorsDecision;
    try {
      // The policy reads method and header() only: the context itself is its view.
      decision = compiled.decide(ctx);
    } catch (error) {
      return Promise.reject(error);
    }
    const { headers } = decision;
    if (decision.preflight) return preflight(headers);
    return callNext(next).then(
      (response) => (headers.length === 0 ? response : withHeaders(response, headers, false)),
      (error: unknown) => Promise.reject(withErrorHeaders(error, headers)),
    );
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

/** Makes `ctx.state.security.csrfToken` (issued on first read) and sends its cookie when it is new. */
async function withCsrfToken(
  compiled: Csrf,
  ctx: MiddlewareContext,
  view: RequestView,
  next: () => Promise<Response>,
): Promise<Response> {
  let setCookie: string | undefined;
  lazyCsrfToken(
    ctx.state,
    () => compiled.token(view),
    (cookie) => {
      setCookie = cookie;
    },
  );
  const response = await next();
  return setCookie === undefined ? response : withHeaders(response, [['set-cookie', setCookie]], true);
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
  const issuesTokens = options.token !== undefined;
  const afterCheck = (
    verdict: CsrfVerdict,
    ctx: MiddlewareContext,
    view: RequestView,
    next: () => Promise<Response>,
  ) => {
    if (verdict.kind === 'reject') return Promise.reject(verdict.error);
    return issuesTokens ? withCsrfToken(compiled, ctx, view, next) : callNext(next);
  };
  // Not async: a request the headers decide (every GET, every browser POST) takes no extra promise
  // (bench "fetch middleware", csrf row); only the form-field fallback waits for the body.
  return (ctx, next) => {
    const view = new ContextView(ctx, undefined);
    let verdict: CsrfVerdict;
    try {
      verdict = compiled.check(view);
    } catch (error) {
      return Promise.reject(error);
    }
    if (verdict.kind !== 'token') return afterCheck(verdict, ctx, view, next);
    return formField(ctx, compiled.fieldName).then((field) =>
      afterCheck(compiled.verifyToken(view, field), ctx, view, next),
    );
  };
}

function peerMissing(): SecurityError {
  return new SecurityError(
    'ERR_SECURITY_INVALID_OPTION',
    "A rate-limit policy keys by client IP but this host's context has no remoteAddress and the middleware was given no peer: pass peer: (ctx) => <the socket's remote address> (trusted proxies are checked against it), or key by user, route or a function.",
  );
}

/**
 * Rate limiting: RateLimit / RateLimit-Policy on every answer; when a policy is exceeded it throws a
 * 429 `SecurityHttpError` carrying Retry-After and the RateLimit headers. The client is `ctx.remoteAddress`
 * (@plinth/http sets it) unless the `peer` option says otherwise; X-Forwarded-For / Forwarded count only
 * from the proxies in `clientIp`.
 *
 * @example
 * app.use(rateLimit({ store: memoryStore(), policies: [{ name: 'default', limit: 100, windowMs: 60_000 }] }));
 */
export function rateLimit(options: RateLimitMiddlewareOptions): Middleware {
  const { peer, skip, ...limiterOptions } = options;
  // skip is asked here, before anything else is made: a skipped request costs one view and next()
  // (bench "fetch middleware", rateLimit row).
  const limiter = createRateLimiter(limiterOptions);
  // An IP-keyed limiter on a host that cannot say who the peer is would count nobody: refused loudly.
  const needsPeer = limiter.needsClientIp && peer === undefined;
  return (ctx, next) => {
    const view = new ContextView(ctx, peer);
    try {
      if (skip?.(view)) return callNext(next);
      if (needsPeer && ctx.remoteAddress === undefined && !('remoteAddress' in ctx))
        return Promise.reject(peerMissing());
    } catch (error) {
      return Promise.reject(error);
    }
    return limiter.check(view).then((decision) => {
      if (decision.error !== undefined) throw decision.error;
      const { headers } = decision;
      if (headers.length === 0) return next();
      return next().then((response) => withHeaders(response, headers, false));
    });
  };
}
