// The application: routes, groups, mounted sub-apps and middleware, dispatched as the onion
// global → group → route around the handler, with one onError and one notFound hook.
import { type Chain, compose, expectResponse, type Handler, type Middleware } from './compose.js';
import { type Context, RequestContext, type RequestSource, type RouteInfo } from './context.js';
import { HttpError, usageError } from './errors.js';
import { FetchRequestSource } from './fetch-request.js';
import type { PathParams } from './path-params.js';
import { httpErrorFields, problem, problemFromError } from './problem.js';
import { empty, fastState, toStandardResponse } from './response.js';
import { createRouter, type Router } from './router.js';

/** Options of {@link createApp}. */
export interface AppOptions {
  /** Match static path segments case-sensitively; `true` by default. */
  caseSensitive?: boolean;
  /** Let `/users/` and `/users` match the same route; `false` by default. */
  ignoreTrailingSlash?: boolean;
  /** Default body size limit in bytes for `ctx.body.*`; 1 MiB. */
  bodyLimit?: number;
}

/** Options of one route. */
export interface RouteOptions<State extends object = Record<string, unknown>> {
  /** Arbitrary metadata, listed in `app.routes` and readable as `ctx.route.meta`. */
  meta?: Record<string, unknown>;
  /** Middleware for this route only, innermost. */
  middleware?: Middleware<State>[];
}

/** Answers every error thrown in middleware or handlers. */
export type ErrorHandler<State extends object = Record<string, unknown>> = (
  error: unknown,
  ctx: Context<State>,
) => Response | Promise<Response>;

/** Registers a route for one method: `(path, handler)` or `(path, { meta, middleware }, handler)`. */
export interface RouteMethod<State extends object, Self> {
  <Path extends string>(path: Path, handler: Handler<State, PathParams<Path>>): Self;
  <Path extends string>(
    path: Path,
    options: RouteOptions<State>,
    handler: Handler<State, PathParams<Path>>,
  ): Self;
}

/** What apps and groups share: route registration, middleware and nested groups. */
export interface Routes<State extends object> {
  get: RouteMethod<State, this>;
  post: RouteMethod<State, this>;
  put: RouteMethod<State, this>;
  patch: RouteMethod<State, this>;
  delete: RouteMethod<State, this>;
  options: RouteMethod<State, this>;
  head: RouteMethod<State, this>;
  /** Registers the route for GET, POST, PUT, PATCH, DELETE and OPTIONS. */
  all: RouteMethod<State, this>;
  /** Registers the route for the given method(s). */
  on<Path extends string>(
    method: string | string[],
    path: Path,
    handler: Handler<State, PathParams<Path>>,
  ): this;
  on<Path extends string>(
    method: string | string[],
    path: Path,
    options: RouteOptions<State>,
    handler: Handler<State, PathParams<Path>>,
  ): this;
  /** Adds middleware to every route of this app or group, in order (also routes added before). */
  use(...middleware: Middleware<State>[]): this;
  /** A group of routes under `prefix` with middleware of its own. */
  group(prefix: string, define?: (group: RouteGroup<State>) => void): RouteGroup<State>;
}

/** Routes under a common prefix, with middleware of their own. */
export interface RouteGroup<State extends object = Record<string, unknown>> extends Routes<State> {}

/** An application: a fetch handler `(Request) => Promise<Response>` plus its routes. */
export interface App<State extends object = Record<string, unknown>> extends Routes<State> {
  /** Mounts every route of `app` (also those added later) under `prefix`, inside this app's middleware. */
  mount<Other extends object>(prefix: string, app: App<Other>): this;
  /** Answers requests that match no route (global middleware still runs); problem+json 404 by default. */
  notFound(handler: Handler<State>): this;
  /** Answers every error; RFC 9457 problem+json by default, 5xx without internals. */
  onError(handler: ErrorHandler<State>): this;
  /** Every route with method, path and metadata, in registration order. */
  readonly routes: RouteInfo[];
  /** The standard fetch handler: for Bun, Deno, workers and tests. */
  fetch(request: Request): Promise<Response>;
}

interface RouteRecord {
  info: RouteInfo;
  handler: Handler;
  /** Live middleware arrays, outermost first: `use()` after registration still applies. */
  layers: Middleware[][];
  chain: Chain | undefined;
  generation: number;
}

/** Internal: dispatches one request; `undefined` means "no route, let the host framework continue". */
export type Dispatch = (
  source: RequestSource,
  fallthrough: boolean,
) => Response | Promise<Response> | undefined;

const kDispatch = Symbol('plinth.http.dispatch');
const kAttach = Symbol('plinth.http.attach');
const ALL_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];
const EMPTY_PARAMS: Record<string, string> = Object.freeze({}) as Record<string, string>;

// Bumped by every use(): compiled chains older than this are rebuilt on their next request.
let generation = 0;

/** Internal: the dispatcher of an app, for the node and Fastify adapters. */
export function dispatcherOf<State extends object>(app: App<State> | undefined): Dispatch {
  const dispatch = (app as unknown as { [kDispatch]?: Dispatch } | undefined)?.[kDispatch];
  if (dispatch === undefined) {
    throw usageError('ERR_HTTP_INVALID_OPTIONS', 'Expected { app } made by createApp() from @plinth/http.');
  }
  return dispatch;
}

function joinPath(prefix: string, path: string): string {
  if (prefix === '') return path;
  return path === '/' ? prefix : prefix + path;
}

function normalizePrefix(prefix: string): string {
  if (typeof prefix !== 'string' || !prefix.startsWith('/')) {
    throw usageError(
      'ERR_HTTP_INVALID_ROUTE',
      `Invalid prefix ${JSON.stringify(prefix)}: it must start with "/".`,
    );
  }
  return prefix.endsWith('/') ? prefix.slice(0, -1) : prefix;
}

function applyCookies(response: Response, cookies: string[]): Response {
  const state = fastState(response);
  if (state !== undefined && !(state.headers instanceof Headers)) state.headers = new Headers(state.headers);
  try {
    for (const cookie of cookies) response.headers.append('set-cookie', cookie);
    return response;
  } catch {
    // Responses from Response.redirect() or fetch() have immutable headers: copy them once.
    const copy = new Response(response.body, response);
    for (const cookie of cookies) copy.headers.append('set-cookie', cookie);
    return copy;
  }
}

const defaultErrorHandler: ErrorHandler = (error) => {
  if ((httpErrorFields(error)?.status ?? 500) >= 500) console.error(error);
  return problemFromError(error);
};

const defaultNotFound: Handler = () =>
  problem(404, { detail: 'No route matches this path.', code: 'NOT_FOUND' });

/**
 * Creates an app. The same app serves node:http (`serve`, `toNodeHandler` from `@plinth/http/node`),
 * Fastify (`@plinth/http/fastify`) and any fetch runtime (`app.fetch`).
 *
 * @example
 * const app = createApp<{ user?: User }>();
 * app.get('/', () => json({ hello: 'world' }));
 * app.get('/users/:id', (ctx) => json({ id: ctx.params.id }));
 */
export function createApp<State extends object = Record<string, unknown>>(
  options: AppOptions = {},
): App<State> {
  const bodyLimit = options.bodyLimit ?? 1024 * 1024;
  if (!Number.isFinite(bodyLimit) || bodyLimit < 0) {
    throw usageError(
      'ERR_HTTP_INVALID_OPTIONS',
      `bodyLimit ${bodyLimit} is invalid; use a number of bytes ≥ 0.`,
    );
  }
  const router: Router<RouteRecord> = createRouter({
    caseSensitive: options.caseSensitive ?? true,
    ignoreTrailingSlash: options.ignoreTrailingSlash ?? false,
  });
  const records: RouteRecord[] = [];
  const listeners: Array<(record: RouteRecord) => void> = [];
  const globalMiddleware: Middleware[] = [];
  let notFoundHandler: Handler = defaultNotFound;
  let errorHandler: ErrorHandler = defaultErrorHandler;

  const addRecord = (record: RouteRecord) => {
    router.add(record.info.method, record.info.path, record);
    records.push(record);
    for (const listener of listeners) listener(record);
  };

  const fallback: RouteRecord = {
    info: { method: '*', path: '', meta: {} },
    layers: [globalMiddleware],
    chain: undefined,
    generation: -1,
    handler: (ctx) => {
      const allowed = router.allowedMethods(ctx.path);
      if (allowed.length === 0) return notFoundHandler(ctx);
      if (!allowed.includes('OPTIONS')) allowed.push('OPTIONS');
      const allow = allowed.join(', ');
      // RFC 9110 §9.3.7: OPTIONS answers what the resource supports.
      if (ctx.method === 'OPTIONS') return empty(204, { headers: { allow } });
      // RFC 9110 §15.5.6: a 405 carries Allow.
      throw new HttpError(405, `${ctx.method} is not allowed here; allowed: ${allow}.`, {
        code: 'METHOD_NOT_ALLOWED',
        headers: { allow },
      });
    },
  };

  const chainOf = (record: RouteRecord): Chain => {
    if (record.chain === undefined || record.generation !== generation) {
      record.chain = compose(record.layers.flat(), record.handler);
      record.generation = generation;
    }
    return record.chain;
  };

  const finish = (ctx: RequestContext, response: Response): Response =>
    ctx.setCookies === undefined ? response : applyCookies(response, ctx.setCookies);

  const fail = (ctx: RequestContext, error: unknown): Response | Promise<Response> => {
    const last = (secondError: unknown) => {
      console.error(secondError);
      return finish(ctx, problem(500));
    };
    try {
      const result = expectResponse(errorHandler(error, ctx), ctx, 'onError hook');
      if (result instanceof Response) return finish(ctx, result);
      return result.then((response) => finish(ctx, response), last);
    } catch (secondError) {
      return last(secondError);
    }
  };

  const run = (ctx: RequestContext, chain: Chain): Response | Promise<Response> => {
    try {
      const result = chain(ctx);
      if (result instanceof Response) return finish(ctx, result);
      if (result !== null && typeof (result as Promise<Response>)?.then === 'function') {
        return (result as Promise<unknown>).then(
          (response) => finish(ctx, expectResponse(response, ctx) as Response),
          (error) => fail(ctx, error),
        );
      }
      return finish(ctx, expectResponse(result, ctx) as Response);
    } catch (error) {
      return fail(ctx, error);
    }
  };

  const dispatch: Dispatch = (source, fallthrough) => {
    let target = source.target;
    if (target.charCodeAt(0) !== 47) {
      // Absolute-form request targets (RFC 9112 §3.2.2) carry a whole URL.
      try {
        const url = new URL(target);
        target = url.pathname + url.search;
      } catch {
        target = '';
      }
    }
    const question = target.indexOf('?');
    const path = question === -1 ? target : target.slice(0, question);
    const search = question === -1 ? '' : target.slice(question);
    let match: ReturnType<Router<RouteRecord>['find']>;
    try {
      if (path === '')
        throw new HttpError(400, 'The request target is not a valid URL.', {
          code: 'MALFORMED_URL',
        });
      match = router.find(source.method, path);
    } catch (error) {
      return fail(new RequestContext(source, path || '/', search, EMPTY_PARAMS, undefined, bodyLimit), error);
    }
    if (match === null) {
      if (fallthrough) return undefined;
      return run(new RequestContext(source, path, search, {}, undefined, bodyLimit), chainOf(fallback));
    }
    const record = match.value;
    return run(
      new RequestContext(source, path, search, match.params, record.info, bodyLimit),
      chainOf(record),
    );
  };

  const makeRoutes = <Self extends Routes<State>>(
    self: Self,
    prefix: string,
    layers: Middleware[][],
    own: Middleware[],
  ): Self => {
    const chainLayers = [...layers, own];
    const register = (methods: string[], path: string, rest: unknown[]) => {
      const handler = rest[rest.length - 1];
      const routeOptions = (rest.length > 1 ? rest[0] : {}) as RouteOptions<State> | undefined;
      if (typeof handler !== 'function') {
        throw usageError(
          'ERR_HTTP_INVALID_ROUTE',
          `Route ${methods.join('|')} ${path}: the last argument must be the handler function.`,
        );
      }
      if (routeOptions === null || typeof routeOptions !== 'object') {
        throw usageError(
          'ERR_HTTP_INVALID_ROUTE',
          `Route ${methods.join('|')} ${path}: options must be an object ({ meta, middleware }).`,
        );
      }
      const routeMiddleware = (routeOptions.middleware ?? []) as Middleware[];
      const meta = Object.freeze({ ...routeOptions.meta });
      const fullPath = joinPath(prefix, path);
      for (const method of methods) {
        addRecord({
          info: Object.freeze({ method: method.toUpperCase(), path: fullPath, meta }),
          handler: handler as Handler,
          layers: routeMiddleware.length === 0 ? chainLayers : [...chainLayers, routeMiddleware],
          chain: undefined,
          generation: -1,
        });
      }
      return self;
    };
    const method =
      (verb: string) =>
      (path: string, ...rest: unknown[]) =>
        register(verb === 'ALL' ? ALL_METHODS : [verb], path, rest);
    Object.assign(self, {
      get: method('GET'),
      post: method('POST'),
      put: method('PUT'),
      patch: method('PATCH'),
      delete: method('DELETE'),
      options: method('OPTIONS'),
      head: method('HEAD'),
      all: method('ALL'),
      on: (verbs: string | string[], path: string, ...rest: unknown[]) =>
        register(Array.isArray(verbs) ? verbs : [verbs], path, rest),
      use: (...middleware: Middleware<State>[]) => {
        for (const layer of middleware) {
          if (typeof layer !== 'function') {
            throw usageError(
              'ERR_HTTP_INVALID_OPTIONS',
              'use() takes middleware functions (ctx, next) => Response.',
            );
          }
          own.push(layer as Middleware);
        }
        generation++;
        return self;
      },
      group: (groupPrefix: string, define?: (group: RouteGroup<State>) => void) => {
        const groupPath = joinPath(prefix, normalizePrefix(groupPrefix));
        const group = makeRoutes({} as RouteGroup<State>, groupPath, chainLayers, []);
        define?.(group);
        return group;
      },
    });
    return self;
  };

  const app = {} as App<State>;
  // The app's own layer is its global middleware: the fallback (404/405) runs inside it too.
  makeRoutes(app, '', [], globalMiddleware);
  Object.assign(app, {
    mount(prefix: string, child: App<object>) {
      const base = normalizePrefix(prefix);
      const attach = (record: RouteRecord) =>
        addRecord({
          info: Object.freeze({ ...record.info, path: joinPath(base, record.info.path) }),
          handler: record.handler,
          layers: [globalMiddleware, ...record.layers],
          chain: undefined,
          generation: -1,
        });
      const attachTo = (
        child as unknown as { [kAttach]?: (listener: (record: RouteRecord) => void) => void }
      )[kAttach];
      if (attachTo === undefined) {
        throw usageError('ERR_HTTP_INVALID_OPTIONS', 'mount() takes an app made by createApp().');
      }
      attachTo(attach);
      return app;
    },
    notFound(handler: Handler<State>) {
      notFoundHandler = handler as unknown as Handler;
      return app;
    },
    onError(handler: ErrorHandler<State>) {
      errorHandler = handler as unknown as ErrorHandler;
      return app;
    },
    async fetch(request: Request) {
      const response = (await dispatch(new FetchRequestSource(request), false)) as Response;
      const standard = toStandardResponse(response);
      // RFC 9110 §9.3.2: HEAD answers GET's headers without the body.
      if (request.method !== 'HEAD' || standard.body === null) return standard;
      // Nobody will read a streamed body: cancel it so its source is released.
      standard.body.cancel().catch(() => {});
      return new Response(null, {
        status: standard.status,
        statusText: standard.statusText,
        headers: standard.headers,
      });
    },
  });
  Object.defineProperty(app, 'routes', {
    enumerable: true,
    get: () => records.map((record) => record.info),
  });
  Object.defineProperty(app, kDispatch, { value: dispatch });
  Object.defineProperty(app, kAttach, {
    value: (listener: (record: RouteRecord) => void) => {
      for (const record of records) listener(record);
      listeners.push(listener);
    },
  });
  return app;
}
