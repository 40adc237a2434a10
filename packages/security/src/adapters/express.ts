// Express 5 middleware: thin translations of the core (headers, CORS, CSRF, rate limit) onto req/res.
// Also plain Connect middleware for a bare node:http server.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { lazyCsrfToken, securityState } from '../context.js';
import { type CorsOptions, createCors } from '../cors.js';
import { type CsrfOptions, createCsrf } from '../csrf.js';
import type { ForwardErrorsOption, SecurityHttpError } from '../errors.js';
import { compileRateLimiter, type RateLimitDecision, type RateLimiterOptions } from '../rate-limit.js';
import { createSecureHeaders, type SecureHeadersOptions } from '../secure-headers.js';
import { setFixedHeaders } from './node-headers.js';
import { appendHeader, encryptedOf, nodeView, setHeaders, writeProblem } from './node-view.js';

/** Connect-style middleware, as Express 5 and node:http servers call it. */
export type ExpressMiddleware = (
  req: IncomingMessage,
  res: ServerResponse,
  next: (error?: unknown) => void,
) => void;

type ExpressRequest = IncomingMessage & { originalUrl?: string; body?: unknown };
type ExpressResponse = ServerResponse & { locals?: Record<string, unknown> };

/** Answers a refusal as problem+json, or hands it to Express's error handlers with `forwardErrors`. */
function refuse(
  res: ServerResponse,
  next: (error?: unknown) => void,
  error: SecurityHttpError,
  forward: boolean | undefined,
): void {
  if (forward === true) next(error);
  else writeProblem(res, error);
}

function localsOf(res: ExpressResponse): object {
  res.locals ??= {};
  return res.locals;
}

/**
 * helmet's secure headers; with a CSP nonce it is at `res.locals.security.nonce`. Removes X-Powered-By.
 *
 * @example
 * app.use(expressSecureHeaders({ contentSecurityPolicy: { nonce: true } }));
 */
export function expressSecureHeaders(options: SecureHeadersOptions = {}): ExpressMiddleware {
  const compiled = createSecureHeaders(options);
  const { fixed } = compiled;
  return (_req, res, next) => {
    // Express sets X-Powered-By before the first middleware runs.
    res.removeHeader('x-powered-by');
    setFixedHeaders(res, fixed);
    if (compiled.usesNonce) {
      const nonce = compiled.nonce();
      securityState(localsOf(res as ExpressResponse)).nonce = nonce;
      setFixedHeaders(res, [compiled.csp(nonce)]);
    }
    next();
  };
}

/**
 * CORS: preflights answered with 204, CORS headers on the rest; insecure options throw at start.
 *
 * @example
 * app.use(expressCors({ origin: 'https://app.example.com', credentials: true }));
 */
export function expressCors(options: CorsOptions): ExpressMiddleware {
  const compiled = createCors(options);
  return (req, res, next) => {
    const decision = compiled.decide(nodeView(req, {}));
    setHeaders(res, decision.headers);
    if (!decision.preflight) return next();
    res.statusCode = 204;
    res.setHeader('content-length', '0');
    res.end();
  };
}

/**
 * CSRF protection (Sec-Fetch-Site, Origin, then the token from the header or `req.body._csrf` when a
 * body parser ran first); 403 problem+json when refused (`next(error)` with `forwardErrors`). The token for
 * forms is `res.locals.security.csrfToken`.
 *
 * @example
 * app.use(express.urlencoded());
 * app.use(expressCsrf({ token: { secret, session: (request) => request.header('cookie') ?? '' } }));
 */
export function expressCsrf(options: CsrfOptions & ForwardErrorsOption = {}): ExpressMiddleware {
  const compiled = createCsrf(options);
  return (req, res, next) => {
    const view = nodeView(req, req, (req as ExpressRequest).originalUrl);
    let verdict = compiled.check(view);
    if (verdict.kind === 'token') {
      const body = (req as ExpressRequest).body as Record<string, unknown> | undefined;
      const field = body?.[compiled.fieldName];
      verdict = compiled.verifyToken(view, typeof field === 'string' ? field : undefined);
    }
    if (verdict.kind === 'reject') return refuse(res, next, verdict.error, options.forwardErrors);
    if (options.token !== undefined) {
      lazyCsrfToken(
        localsOf(res as ExpressResponse),
        () => compiled.token(view),
        (cookie) => {
          if (!res.headersSent) appendHeader(res, 'set-cookie', cookie);
        },
      );
    }
    next();
  };
}

/**
 * Rate limiting: RateLimit / RateLimit-Policy headers, 429 problem+json with Retry-After (`next(error)`
 * with `forwardErrors`, the headers on the error). The client
 * is the socket's peer unless `clientIp.proxies` vouch for a forwarded address. Key functions see
 * Express's `req` as `request.state` (so `request.state.user` from passport).
 *
 * @example
 * app.use(expressRateLimit({ store, policies: [{ name: 'default', limit: 100, windowMs: 60_000 }] }));
 */
export function expressRateLimit(options: RateLimiterOptions & ForwardErrorsOption): ExpressMiddleware {
  const { checkNow } = compileRateLimiter(options);
  const apply = (res: ServerResponse, next: (error?: unknown) => void, decision: RateLimitDecision): void => {
    if (decision.error !== undefined) refuse(res, next, decision.error, options.forwardErrors);
    else {
      // RateLimit values are built from validated policy names and numbers (bench "Express 5 app").
      setFixedHeaders(res, decision.headers);
      next();
    }
  };
  return (req, res, next) => {
    let decision: RateLimitDecision | Promise<RateLimitDecision>;
    try {
      decision = checkNow(nodeView(req, req, (req as ExpressRequest).originalUrl), encryptedOf(req));
    } catch (error) {
      next(error);
      return;
    }
    // The memory store answers in the same tick: next() runs without a promise in between.
    if (decision instanceof Promise) decision.then((settled) => apply(res, next, settled)).catch(next);
    else apply(res, next, decision);
  };
}
