// Express 5 adapters: the route list of an app (with metadata attached by `describeRoute`), the
// OpenAPI endpoints, Server-Timing, the development error page and the profiling endpoints.
import { METHODS } from 'node:http';
import type { ErrorRequestHandler, NextFunction, Request, RequestHandler, Response } from 'express';
import { isProduction, renderErrorPage, showsErrorPage } from '../dev-error-page.js';
import { createOpenApiResponder, type OpenApiEndpointsOptions } from '../openapi-endpoints.js';
import { createProfilingResponder, type ProfilingEndpointsOptions } from '../profile-triggers.js';
import type { RouteInfo, RouteMeta, RouteSource } from '../route-source.js';
import { RequestTimer, type ServerTimingOptions, TIMER_KEY, timingSettings } from '../server-timing.js';
import { headerPairs, sendResponse } from './node-response.js';

const META_KEY = Symbol.for('@plinth/devtools.routeMeta');

// What `app.all()` stands for in the document, as @plinth/http's `all` registers it.
const ALL_METHODS = ['get', 'post', 'put', 'patch', 'delete', 'options'];

/**
 * A pass-through middleware that carries a route's metadata (SEAMS §H) for {@link expressRoutes}.
 *
 * @example
 * app.get('/users/:id', describeRoute({ summary: 'One user', schema: { params, response: { 200: User } } }), handler);
 */
export function describeRoute(meta: RouteMeta): RequestHandler {
  const middleware: RequestHandler = (_req, _res, next) => next();
  Object.defineProperty(middleware, META_KEY, { value: meta });
  return middleware;
}

interface RouterLayer {
  route?: { path: string | string[]; methods: Record<string, boolean>; stack: Array<{ handle: unknown }> };
  handle?: { stack?: RouterLayer[] } & Record<symbol, unknown>;
  rawPath?: unknown;
}

/**
 * The routes of an Express app or router as a RouteSource, read live (routes added later count);
 * mounted routers are followed. Metadata comes from {@link describeRoute}.
 */
export function expressRoutes(app: { router?: unknown; stack?: unknown }): RouteSource {
  return {
    get routes(): RouteInfo[] {
      const router = (app.router ?? app) as { stack?: RouterLayer[] };
      const routes: RouteInfo[] = [];
      walk(router.stack ?? [], '', routes);
      return routes;
    },
  };
}

function walk(stack: RouterLayer[], prefix: string, routes: RouteInfo[]): void {
  for (const layer of stack) {
    if (layer.route !== undefined) {
      const paths = Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path];
      const meta = layer.route.stack
        .map((entry) => (entry.handle as Record<symbol, unknown> | undefined)?.[META_KEY])
        .find((value) => value !== undefined) as RouteMeta | undefined;
      for (const path of paths) {
        for (const method of methodsOf(layer.route.methods)) {
          routes.push({ method: method.toUpperCase(), path: join(prefix, path), meta: meta ?? {} });
        }
      }
    } else if (Array.isArray(layer.handle?.stack) && typeof layer.rawPath === 'string') {
      walk(layer.handle.stack, join(prefix, layer.rawPath), routes);
    }
  }
}

// Express 5's app.all() registers every method node knows (ACL, M-SEARCH ...): document it as
// @plinth/http's `all` does.
function methodsOf(methods: Record<string, boolean>): string[] {
  const names = Object.keys(methods);
  return names.includes('_all') || names.length >= METHODS.length ? ALL_METHODS : names;
}

// A mount path matches with or without its trailing slash (`app.use('/notes/', router)` serves
// `/notes/x`), and a router's '/' route answers at the mount path itself: `/notes`, as it is documented.
function join(prefix: string, path: string): string {
  const base = prefix.replace(/\/+$/, '');
  if (base === '') return path;
  return path === '/' ? base : base + path;
}

/** The matched route's pattern, named as the document names it (`/notes` for a router's '/' at `/notes`). */
function routeOf(req: Request): string | undefined {
  if (req.route === undefined) return undefined;
  // Express leaves baseUrl undefined once an error has left the routers.
  return join(req.baseUrl ?? '', String((req.route as { path: unknown }).path));
}

/**
 * Serves the OpenAPI document and the docs page (paths relative to where it is mounted).
 *
 * @example
 * app.use(expressOpenApi({ source: expressRoutes(app), info: { title: 'Shop', version: '1.0.0' } }));
 */
export function expressOpenApi(options: OpenApiEndpointsOptions): RequestHandler {
  const respond = createOpenApiResponder(options);
  return (req, res, next) => {
    const answer = respond(req.method, req.path, req.baseUrl);
    if (answer === undefined) return next();
    sendResponse(res, answer).catch(next);
  };
}

/**
 * Times the request: mount it first. Sends `Server-Timing` with each {@link expressTimed}
 * middleware's time, the handler's (until the headers leave) and the total; logs slow requests.
 */
export function expressServerTiming(options: ServerTimingOptions = {}): RequestHandler {
  const settings = timingSettings(options);
  if (!settings.active) return (_req, _res, next) => next();
  return (req, res, next) => {
    const timer = new RequestTimer();
    (req as unknown as Record<symbol, unknown>)[TIMER_KEY] = timer;
    const path = req.path; // before routing: mounted routers make req.path relative
    const writeHead = res.writeHead;
    res.writeHead = function (this: Response, ...args: unknown[]) {
      timer.closeOpen();
      if (settings.header && !res.headersSent) {
        res.setHeader('server-timing', timer.header(performance.now() - timer.started, settings.eventLoop));
      }
      return (writeHead as (...rest: unknown[]) => Response).apply(this, args);
    } as typeof res.writeHead;
    res.once('finish', () => {
      const route = routeOf(req);
      timer.logIfSlow(settings, performance.now() - timer.started, {
        method: req.method,
        path,
        route,
        status: res.statusCode,
      });
    });
    timer.openSection('handler');
    next();
  };
}

/** Wraps an Express middleware so {@link expressServerTiming} reports its time as `name`. */
export function expressTimed(name: string, middleware: RequestHandler): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const timer = (req as unknown as Record<symbol, unknown>)[TIMER_KEY] as RequestTimer | undefined;
    if (timer === undefined) return middleware(req, res, next);
    timer.openSection(name);
    return middleware(req, res, (error?: unknown) => {
      timer.openSection('handler');
      next(error as Parameters<NextFunction>[0]);
    });
  };
}

/**
 * An error middleware: answers a server error with the development error page when a browser asked
 * and NODE_ENV is not "production"; otherwise passes the error on. Mount it last.
 */
export function expressDevErrorPage(): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (isProduction() || res.headersSent || !showsErrorPage(error, req.get('accept'))) return next(error);
    const html = renderErrorPage(error, {
      method: req.method,
      url: req.originalUrl,
      headers: headerPairs(req.headers),
      route: routeOf(req),
    });
    res
      .status(500)
      .set({ 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' })
      .send(html);
  };
}

/** The profiling endpoints (see `profilingEndpoints` in `@plinth/devtools/node`) as Express middleware. */
export function expressProfiling(options: ProfilingEndpointsOptions = {}): RequestHandler {
  const respond = createProfilingResponder(options);
  return (req, res, next) => {
    const query = req.originalUrl.indexOf('?');
    const answer = respond({
      method: req.method,
      path: req.path,
      search: query === -1 ? '' : req.originalUrl.slice(query),
      header: (name) => req.get(name),
    });
    if (answer === undefined) return next();
    answer.then((response) => sendResponse(res, response)).catch(next);
  };
}
