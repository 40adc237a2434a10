// The application: routes, groups, mounted sub-apps and middleware, dispatched as the onion
// global → group → route around the handler, with one onError and one notFound hook. Registration
// lives in routes.ts, dispatching in dispatch.ts; this file wires them into one object.
import type { Handler, Middleware } from './compose.js';
import type { RouteInfo } from './context.js';
import { createDispatch, type Dispatch, type ErrorHandler } from './dispatch.js';
import { usageError } from './errors.js';
import { FetchRequestSource } from './fetch-request.js';
import { httpErrorFields, problem, problemFromError } from './problem.js';
import { toStandardResponse } from './response.js';
import { createRouter, type Router } from './router.js';
import { defineRoutes, joinPath, normalizePrefix, type RouteRecord, type Routes } from './routes.js';

export type { ErrorHandler } from './dispatch.js';
export type { RouteGroup, RouteMethod, RouteOptions, Routes } from './routes.js';

/** Options of {@link createApp}. */
export interface AppOptions {
  /** Match static path segments case-sensitively; `true` by default. */
  caseSensitive?: boolean;
  /** Let `/users/` and `/users` match the same route; `false` by default. */
  ignoreTrailingSlash?: boolean;
  /** Default body size limit in bytes for `ctx.body.*`; 1 MiB. */
  bodyLimit?: number;
}

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
  /**
   * The standard fetch handler: for Bun, Deno, workers and tests. The optional second argument feeds
   * `ctx.remoteAddress`: `{ remoteAddress: '203.0.113.7' }` from a caller, or what Bun (its `Server`) and
   * Deno (`ServeHandlerInfo`) pass themselves; `unknown`, so Cloudflare's `env` is accepted and ignored.
   */
  fetch(request: Request, connection?: unknown): Promise<Response>;
}

// Symbol.for, not Symbol(): an app made by the ESM build must work with the CJS build's adapters
// (and the reverse), as happens when an ESM app is handed to a CommonJS Express server.
const kDispatch = Symbol.for('@plinth/http.App.dispatch');
const kAttach = Symbol.for('@plinth/http.App.attach');

type Attach = (listener: (record: RouteRecord) => void) => void;

// Bumped by every use(): compiled chains older than this are rebuilt on their next request.
let generation = 0;

const FETCH_OPTIONS = { mode: 'answer' } as const;

/** Internal: the dispatcher of an app, for the node, Express and Fastify adapters. */
export function dispatcherOf<State extends object>(app: App<State> | undefined): Dispatch {
  const dispatch = (app as unknown as { [kDispatch]?: Dispatch } | undefined)?.[kDispatch];
  if (dispatch === undefined) {
    throw usageError('ERR_HTTP_INVALID_OPTIONS', 'Expected { app } made by createApp() from @plinth/http.');
  }
  return dispatch;
}

const defaultErrorHandler: ErrorHandler = (error) => {
  if ((httpErrorFields(error)?.status ?? 500) >= 500) console.error(error);
  return problemFromError(error);
};

const defaultNotFound: Handler = () =>
  problem(404, { detail: 'No route matches this path.', code: 'NOT_FOUND' });

function checkBodyLimit(bodyLimit: number): number {
  if (!Number.isFinite(bodyLimit) || bodyLimit < 0) {
    throw usageError(
      'ERR_HTTP_INVALID_OPTIONS',
      `bodyLimit ${bodyLimit} is invalid; use a number of bytes ≥ 0.`,
    );
  }
  return bodyLimit;
}

/** app.fetch: dispatch a WHATWG Request; HEAD answers GET's headers without the body. */
async function fetchThrough(dispatch: Dispatch, request: Request, connection: unknown): Promise<Response> {
  // No sink: the answer comes back as a Response or a promise of one, never null.
  const response = (await dispatch(new FetchRequestSource(request, connection), FETCH_OPTIONS)) as Response;
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
}

/**
 * Creates an app. The same app serves node:http (`serve`, `toNodeHandler` from `@plinth/http/node`),
 * Express (`@plinth/http/express`), Fastify (`@plinth/http/fastify`) and any fetch runtime (`app.fetch`).
 *
 * @example
 * const app = createApp<{ user?: User }>();
 * app.get('/', () => json({ hello: 'world' }));
 * app.get('/users/:id', (ctx) => json({ id: ctx.params.id }));
 */
export function createApp<State extends object = Record<string, unknown>>(
  options: AppOptions = {},
): App<State> {
  const router: Router<RouteRecord> = createRouter({
    caseSensitive: options.caseSensitive ?? true,
    ignoreTrailingSlash: options.ignoreTrailingSlash ?? false,
  });
  const records: RouteRecord[] = [];
  const listeners: Array<(record: RouteRecord) => void> = [];
  const globalMiddleware: Middleware[] = [];
  let notFoundHandler: Handler = defaultNotFound;
  let errorHandler: ErrorHandler = defaultErrorHandler;

  const table = {
    add(record: RouteRecord) {
      router.add(record.info.method, record.info.path, record);
      records.push(record);
      for (const listener of listeners) listener(record);
    },
    changed() {
      generation++;
    },
  };
  const dispatch = createDispatch({
    router,
    globalMiddleware,
    bodyLimit: checkBodyLimit(options.bodyLimit ?? 1024 * 1024),
    notFound: () => notFoundHandler,
    onError: () => errorHandler,
    generation: () => generation,
  });

  const app = {} as App<State>;
  // The app's own layer is its global middleware: the fallback (404/405) runs inside it too.
  defineRoutes(app, table, '', [], globalMiddleware);
  Object.assign(app, {
    mount(prefix: string, child: App<object>) {
      const base = normalizePrefix(prefix);
      const attachTo = (child as unknown as { [kAttach]?: Attach })[kAttach];
      if (attachTo === undefined) {
        throw usageError('ERR_HTTP_INVALID_OPTIONS', 'mount() takes an app made by createApp().');
      }
      attachTo((record) =>
        table.add({
          info: Object.freeze({ ...record.info, path: joinPath(base, record.info.path) }),
          handler: record.handler,
          layers: [globalMiddleware, ...record.layers],
          chain: undefined,
          generation: -1,
        }),
      );
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
    fetch: (request: Request, connection?: unknown) => fetchThrough(dispatch, request, connection),
  });
  Object.defineProperty(app, 'routes', {
    enumerable: true,
    get: () => records.map((record) => record.info),
  });
  Object.defineProperty(app, kDispatch, { value: dispatch });
  Object.defineProperty(app, kAttach, {
    value: ((listener) => {
      for (const record of records) listener(record);
      listeners.push(listener);
    }) satisfies Attach,
  });
  return app;
}
