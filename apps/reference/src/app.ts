// The task tracker's HTTP app: @plinth/http routes bound from @plinth/handlers definitions;
// observability's request logs and problem+json errors; security headers, CORS, CSRF and a login rate
// limit from @plinth/security; @plinth/auth's authentication; deploy's health; devtools' OpenAPI and docs.
import { authenticate } from '@plinth/auth';
import type { OidcClient } from '@plinth/auth/oidc';
import type { Health } from '@plinth/deploy';
import { healthMiddleware } from '@plinth/deploy';
import { devErrorPage, openApi } from '@plinth/devtools';
import { bindHttp, createContainer } from '@plinth/handlers';
import { type App, createApp, type Middleware } from '@plinth/http';
import { errorHandler, type Logger, NotFoundError, requestLogger } from '@plinth/observability';
import {
  cors,
  createLoginThrottle,
  csrf,
  memoryStore,
  type RateLimitStore,
  rateLimit,
  type SecureHeadersOptions,
  secureHeaders,
} from '@plinth/security';
import { createSerializer } from '@plinth/validation';
import type { AuthKit } from './auth.js';
import { type LiveFeatures, mountBoard } from './board.js';
import { clientIpOptions, createClientKey } from './client-address.js';
import type { AppDatabase } from './database.js';
import { toHttp } from './errors.js';
import { mountOidc } from './oidc.js';
import { api } from './routes.js';
import { createServices, type Services } from './services.js';
import { Accounts, Auth, Login, Tasks, Teams } from './tokens.js';

/** The settings of the app's HTTP edge; each has a safe default. */
export interface EdgeSettings {
  /** Origins allowed to call from a browser (CORS, and trusted by the CSRF check). Default none. */
  corsOrigins?: readonly string[];
  /** Proxies whose X-Forwarded-For is believed. Default none: the TCP peer is the client. */
  trustedProxies?: readonly string[];
  /** Login and sign-up requests per client per minute. Default 20. */
  loginRateLimit?: number;
  /** Where rate limits and login failures are counted. Default a memory store (one process). */
  rateLimitStore?: RateLimitStore;
  /**
   * Served over https (directly or behind a proxy): HSTS and CSP `upgrade-insecure-requests` are sent.
   * Default true; false for plain http:// development, where they would send the browser to https.
   */
  https?: boolean;
}

/** What the app is built from; main.ts makes the real ones, tests their own. */
export interface AppDependencies {
  /** A migrated database (src/database.ts); its owner closes it. */
  db: AppDatabase;
  logger: Logger;
  health: Health;
  /** Passwords, tokens, sessions (src/auth.ts). */
  auth: AuthKit;
  /** The services; default `createServices(db, auth)`. */
  services?: Services;
  edge?: EdgeSettings;
  /** The live board and event stream (src/live's `createLive(...)`); without it /board and /events are not served. */
  live?: LiveFeatures | undefined;
  /** An OpenID Connect client (`createOidcClient`); with it /auth/oidc/start and /callback are served. */
  oidc?: OidcClient | undefined;
}

/** Paths whose POSTs are rate limited per client. */
const limitedPaths = new Set(['/auth/login', '/auth/signup']);

/**
 * DomainErrors thrown by the services become the http-errors shape observability's handler answers.
 * One then() on next()'s promise rather than an async function: no async frame per request.
 */
const domainErrors: Middleware = (_ctx, next) =>
  next().then(undefined, (error: unknown) => {
    throw toHttp(error);
  });

/**
 * Builds the app without starting a server, so tests call `app.fetch` in-process. The database's ping
 * joins `health`'s readiness checks: /readyz answers 503 while the database does not answer.
 */
export function buildApp(deps: AppDependencies): App {
  const { db, logger, health, auth, edge = {} } = deps;
  const services = deps.services ?? createServices(db, auth);
  const store = edge.rateLimitStore ?? memoryStore();
  const trustedProxies = edge.trustedProxies ?? [];
  const corsOrigins = edge.corsOrigins ?? [];
  const transport = transportHeaders(edge.https ?? true);
  // The services and auth are values here, never disposed by the container: main.ts closes what it opened.
  const container = createContainer()
    .value(Accounts, services.accounts)
    .value(Teams, services.teams)
    .value(Tasks, services.tasks)
    .value(Auth, auth)
    .value(Login, { throttle: createLoginThrottle({ store }), clientKey: createClientKey(trustedProxies) });
  health.add(db.health({ name: 'database' }));
  const app = createApp();

  // Outermost first: every request gets an id and a log line, then errors become problem+json (an
  // HTML page with the stack in development only); the security headers and CORS reach every answer,
  // errors included; health probes answer before any route.
  app.use(requestLogger({ logger }), devErrorPage(), errorHandler());
  app.use(
    edgeHeaders(transport),
    ...(corsOrigins.length > 0 ? [cors({ origin: [...corsOrigins], credentials: true })] : []),
  );
  app.use(domainErrors, healthMiddleware(health));
  app.use(
    openApi({
      source: app,
      info: { title: 'Plinth task tracker API', version: '1.0.0' },
      validationStatus: 422,
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
        cookie: { type: 'apiKey', in: 'cookie', name: auth.sessions.name },
      },
    }),
  );
  app.use(
    loginRateLimit(
      rateLimit({
        store,
        ...(store.remote && { whenStoreFails: 'open' as const }),
        clientIp: clientIpOptions(trustedProxies),
        policies: [{ name: 'login', limit: edge.loginRateLimit ?? 20, windowMs: 60_000 }],
        key: (request) => request.client.key ?? 'unknown',
      }),
    ),
  );
  // Bearer tokens for API clients, the session cookie for the browser; routes that need a user say so.
  app.use(credentials(authenticate({ bearer: auth.verifier, cookie: auth.sessions, optional: true })));
  app.use(sessionCsrf(auth.sessions.name, corsOrigins));

  // Thrown errors go on to observability's handler, so every problem carries the request id.
  // Each response schema is compiled into a serializer once, at bind time: a response is written through
  // it rather than validated by zod and then stringified (apps/reference bench, GET /).
  bindHttp(app, api, { container, validationStatus: 422, forwardErrors: true, serializer: createSerializer });
  if (deps.live) mountBoard(app, deps.live, db, auth, transport);
  if (deps.oidc) mountOidc(app, deps.oidc, services.accounts, auth);

  // Unmatched paths still pass the middleware above, so a 404 is logged and answered as problem+json.
  app.notFound((ctx) => {
    throw new NotFoundError(`Nothing is served at ${ctx.method} ${ctx.path}.`);
  });

  return app;
}

/** The secure-header options that depend on the transport: over plain http, no HSTS and no upgrade. */
function transportHeaders(https: boolean): SecureHeadersOptions {
  return https
    ? {}
    : {
        strictTransportSecurity: false,
        contentSecurityPolicy: { directives: { upgradeInsecureRequests: false } },
      };
}

/** Pages served as HTML documents: they get helmet's document set (/board brings its own). */
const documentPaths = new Set(['/docs']);

/**
 * The secure headers, by kind of answer. An HTML page gets helmet's set. Every other answer is JSON (or
 * a redirect) and gets the set OWASP's REST Security Cheat Sheet names for API responses: CSP
 * `frame-ancestors 'none'` (with `default-src 'none'`: nothing loads should a browser render one),
 * X-Frame-Options DENY, nosniff, HSTS, Cache-Control `no-store` unless the route chose its own, plus
 * Cross-Origin-Resource-Policy (no cross-origin page may embed our JSON). The rest of helmet's set (a
 * document CSP, COOP, Origin-Agent-Cluster, Referrer-Policy, X-DNS-Prefetch-Control, X-Download-Options,
 * X-Permitted-Cross-Domain-Policies, X-XSS-Protection) steers how a browser treats a document; on JSON
 * it was half the headers of every API answer (apps/reference bench).
 */
function edgeHeaders(options: SecureHeadersOptions): Middleware {
  const documentHeaders = secureHeaders(options);
  const apiHeaders = secureHeaders({
    ...options,
    contentSecurityPolicy: {
      useDefaults: false,
      directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
    },
    xFrameOptions: 'DENY',
    crossOriginOpenerPolicy: false,
    originAgentCluster: false,
    referrerPolicy: false,
    xDnsPrefetchControl: false,
    xDownloadOptions: false,
    xPermittedCrossDomainPolicies: false,
    xXssProtection: false,
  });
  return (ctx, next) => {
    if (ctx.path === '/board') return next();
    if (documentPaths.has(ctx.path)) return documentHeaders(ctx, next);
    return apiHeaders(ctx, next).then(noStore);
  };
}

/**
 * Cache-Control `no-store` on an API answer whose route did not set its own. It runs on secureHeaders'
 * answer, whose headers are mutable: that middleware already copied any response with immutable ones.
 */
function noStore(response: Response): Response {
  if (!response.headers.has('cache-control')) response.headers.set('cache-control', 'no-store');
  return response;
}

// The three gates below decide from the method, the path and a header or two whether their middleware
// has anything to do, so a request it would pass through unchanged does not build its view of the
// request (apps/reference bench, GET /: none of the three has work there).

/** The login rate limit, asked only by the POSTs it counts (login and sign-up). */
function loginRateLimit(limit: Middleware): Middleware {
  return (ctx, next) => (ctx.method === 'POST' && limitedPaths.has(ctx.path) ? limit(ctx, next) : next());
}

/** `authenticate`, asked only when the request carries a credential it reads (a bearer token or a cookie). */
function credentials(authenticateRequest: Middleware): Middleware {
  return (ctx, next) =>
    ctx.header('authorization') === undefined && ctx.header('cookie') === undefined
      ? next()
      : authenticateRequest(ctx, next);
}

/** The methods CSRF cannot abuse: they change nothing, so @plinth/security's check lets them all pass. */
const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE']);

/**
 * CSRF protection where it matters: an unsafe request that carries the session cookie and no bearer
 * token (the browser flow). Fetch Metadata and Origin decide, as OWASP recommends; bearer calls cannot
 * be forged.
 */
function sessionCsrf(cookieName: string, trustedOrigins: readonly string[]): Middleware {
  const check = csrf({ trustedOrigins: [...trustedOrigins] });
  return (ctx, next) =>
    !safeMethods.has(ctx.method) &&
    ctx.header('authorization') === undefined &&
    ctx.header('cookie') !== undefined &&
    ctx.cookies.get(cookieName) !== undefined
      ? check(ctx, next)
      : next();
}
