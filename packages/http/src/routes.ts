// Route registration: the `get/post/…/on/use/group` surface that apps and groups share, turning each
// call into route records (full path, method, metadata, the live middleware layers around it).
import type { Chain, Handler, Middleware } from './compose.js';
import type { RouteInfo } from './context.js';
import { usageError } from './errors.js';
import type { PathParams } from './path-params.js';

/** Options of one route. */
export interface RouteOptions<State extends object = Record<string, unknown>> {
  /** Arbitrary metadata, listed in `app.routes` and readable as `ctx.route.meta`. */
  meta?: Record<string, unknown>;
  /** Middleware for this route only, innermost. */
  middleware?: Middleware<State>[];
}

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

/** Internal: one registered route with what it takes to run it. */
export interface RouteRecord {
  info: RouteInfo;
  handler: Handler;
  /** Live middleware arrays, outermost first: `use()` after registration still applies. */
  layers: Middleware[][];
  chain: Chain | undefined;
  generation: number;
}

const ALL_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

/** Internal: `prefix` + `path`, where the root path of a prefixed group is the prefix itself. */
export function joinPath(prefix: string, path: string): string {
  if (prefix === '') return path;
  return path === '/' ? prefix : prefix + path;
}

/** Internal: a group or mount prefix without its trailing slash; refuses one without a leading slash. */
export function normalizePrefix(prefix: string): string {
  if (typeof prefix !== 'string' || !prefix.startsWith('/')) {
    throw usageError(
      'ERR_HTTP_INVALID_ROUTE',
      `Invalid prefix ${JSON.stringify(prefix)}: it must start with "/".`,
    );
  }
  return prefix.endsWith('/') ? prefix.slice(0, -1) : prefix;
}

/** What {@link defineRoutes} needs from the app it registers into. */
export interface RouteTable {
  add(record: RouteRecord): void;
  /** Called after `use()` so compiled chains are rebuilt. */
  changed(): void;
}

function readRouteArguments(methods: string[], path: string, rest: unknown[]) {
  const handler = rest[rest.length - 1];
  const options = (rest.length > 1 ? rest[0] : {}) as RouteOptions<object> | undefined;
  if (typeof handler !== 'function') {
    throw usageError(
      'ERR_HTTP_INVALID_ROUTE',
      `Route ${methods.join('|')} ${path}: the last argument must be the handler function.`,
    );
  }
  if (options === null || typeof options !== 'object') {
    throw usageError(
      'ERR_HTTP_INVALID_ROUTE',
      `Route ${methods.join('|')} ${path}: options must be an object ({ meta, middleware }).`,
    );
  }
  return { handler: handler as Handler, options };
}

/**
 * Internal: gives `self` the route registration methods under `prefix`. `layers` are the enclosing
 * middleware arrays (outermost first), `own` the array `self.use()` fills.
 */
export function defineRoutes<State extends object, Self extends Routes<State>>(
  self: Self,
  table: RouteTable,
  prefix: string,
  layers: Middleware[][],
  own: Middleware[],
): Self {
  const chainLayers = [...layers, own];
  const register = (methods: string[], path: string, rest: unknown[]) => {
    const { handler, options } = readRouteArguments(methods, path, rest);
    const routeMiddleware = (options.middleware ?? []) as Middleware[];
    const meta = Object.freeze({ ...options.meta });
    const fullPath = joinPath(prefix, path);
    for (const method of methods) {
      table.add({
        info: Object.freeze({ method: method.toUpperCase(), path: fullPath, meta }),
        handler,
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
      table.changed();
      return self;
    },
    group: (groupPrefix: string, define?: (group: RouteGroup<State>) => void) => {
      const groupPath = joinPath(prefix, normalizePrefix(groupPrefix));
      const group = defineRoutes({} as RouteGroup<State>, table, groupPath, chainLayers, []);
      define?.(group);
      return group;
    },
  });
  return self;
}
