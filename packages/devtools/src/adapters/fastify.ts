// Fastify 5 adapters: a route collector reading each route's own `schema` (an onRoute hook), and
// plugins (not encapsulated) for the OpenAPI endpoints, Server-Timing, the error page and profiling.
import type {
  FastifyInstance,
  FastifyPluginAsync,
  FastifyPluginOptions,
  FastifyReply,
  FastifyRequest,
  RouteOptions,
} from 'fastify';
import { isProduction, renderErrorPage, showsErrorPage } from '../dev-error-page.js';
import { createOpenApiResponder, type OpenApiEndpointsOptions } from '../openapi-endpoints.js';
import { createProfilingResponder, type ProfilingEndpointsOptions } from '../profile-triggers.js';
import type { RouteInfo, RouteMeta, RouteSource } from '../route-source.js';
import { RequestTimer, type ServerTimingOptions, timingSettings } from '../server-timing.js';
import { headerPairs } from './node-response.js';

// The OpenAPI members a route's `schema` may carry beside params, querystring, headers, body and
// response. Declared exactly as @fastify/swagger declares them: identical declarations merge, so both
// packages can be installed in one app.
declare module 'fastify' {
  interface FastifySchema {
    /** The operation's one-line summary. */
    summary?: string;
    /** The operation's description (CommonMark). */
    description?: string;
    /** Tags that group the operation in the docs page. */
    tags?: readonly string[];
    /** The operation's unique id; by default made from the method and path. */
    operationId?: string;
    /** Marks the operation deprecated. */
    deprecated?: boolean;
    /** OpenAPI security requirements, e.g. `[{ bearer: [] }]`; `[]` makes the route public. */
    security?: ReadonlyArray<{ [securityLabel: string]: readonly string[] }>;
    /** Leaves the route out of the document. */
    hide?: boolean;
  }
}

const META_FIELDS = [
  'summary',
  'description',
  'tags',
  'operationId',
  'deprecated',
  'security',
  'hide',
] as const;

/**
 * Collects every route registered on `fastify` from now on, as a RouteSource. The route's `schema`
 * (params, querystring, headers, body, response, plus summary, description, tags, operationId,
 * deprecated, security, hide as @fastify/swagger reads them) and `config.meta` give its metadata.
 * Fastify's automatic HEAD routes are left out; a HEAD route the app declares itself is kept.
 */
export function collectFastifyRoutes(fastify: FastifyInstance): RouteSource {
  const routes: RouteInfo[] = [];
  fastify.addHook('onRoute', (route: RouteOptions) => {
    if (isAutomaticHead(route)) return;
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    const meta = metaOf(route);
    for (const method of methods)
      routes.push({ method: String(method).toUpperCase(), path: route.url, meta });
  });
  return { routes };
}

// Fastify adds a HEAD route for each GET route (exposeHeadRoutes, on by default) and gives it its own
// onSend hook, `headRouteOnSendHandler` (lib/head-route.js), which answers with the GET's headers and no
// body. For a GET '/' under a prefix it adds two, at '/notes' and '/notes/': the second is the twin of
// the '/notes/' GET route Fastify registers without calling onRoute (prefixTrailingSlash 'both'), which
// serves what '/notes' serves, so '/notes' alone describes both.
function isAutomaticHead(route: RouteOptions): boolean {
  const onSend: unknown[] = Array.isArray(route.onSend) ? route.onSend : [route.onSend];
  return (
    route.method === 'HEAD' &&
    onSend.some((hook) => typeof hook === 'function' && hook.name === 'headRouteOnSendHandler')
  );
}

function metaOf(route: RouteOptions): RouteMeta {
  const schema = (route.schema ?? {}) as Record<string, unknown>;
  const meta: Record<string, unknown> = {};
  for (const field of META_FIELDS) if (schema[field] !== undefined) meta[field] = schema[field];
  const parts: Record<string, unknown> = {};
  for (const part of ['params', 'querystring', 'headers', 'body', 'response']) {
    if (schema[part] !== undefined) parts[part] = schema[part];
  }
  if (Object.keys(parts).length > 0) meta.schema = parts;
  const extra = (route.config as { meta?: RouteMeta } | undefined)?.meta;
  return { ...meta, ...extra } as RouteMeta;
}

// Not encapsulated, so hooks and routes apply to the instance that registered the plugin (fastify-plugin's convention).
function global<Options extends FastifyPluginOptions>(
  plugin: (fastify: FastifyInstance, options: Options) => Promise<void>,
  name: string,
): FastifyPluginAsync<Options> {
  return Object.assign(plugin, {
    [Symbol.for('skip-override')]: true,
    [Symbol.for('fastify.display-name')]: name,
  }) as unknown as FastifyPluginAsync<Options>;
}

/** Options of {@link fastifyOpenApi}: those of every adapter; `source` defaults to the app's own routes. */
export type FastifyOpenApiOptions = OpenApiEndpointsOptions;

/**
 * Serves the OpenAPI document of the app's routes and the docs page. Register it (with `await`)
 * before the routes it should describe.
 *
 * @example
 * await app.register(fastifyOpenApi, { info: { title: 'Shop', version: '1.0.0' } });
 */
export const fastifyOpenApi = global(async (fastify: FastifyInstance, options: FastifyOpenApiOptions) => {
  const source =
    options.source ?? (options.document === undefined ? collectFastifyRoutes(fastify) : undefined);
  const respond = createOpenApiResponder({ ...options, source });
  const handler = async (request: FastifyRequest, reply: FastifyReply) => {
    const query = request.url.indexOf('?');
    const answer = respond(request.method, query === -1 ? request.url : request.url.slice(0, query));
    if (answer === undefined) return reply.callNotFound();
    reply.code(answer.status).headers(Object.fromEntries(answer.headers));
    // A Buffer keeps Fastify from adding a charset or re-serializing.
    return reply.send(Buffer.from(await answer.arrayBuffer()));
  };
  const hidden = { config: { meta: { hide: true } } };
  fastify.get(options.path ?? '/openapi.json', hidden, handler);
  const docsPath = options.docsPath ?? '/docs';
  if (docsPath !== false) {
    fastify.get(docsPath, hidden, handler);
    fastify.get(`${docsPath}/assets/*`, hidden, handler);
  }
}, '@plinth/devtools.openapi');

/** Per-request marks of the Fastify lifecycle. */
interface FastifyTiming {
  timer: RequestTimer;
  mark: number;
}

const kTiming = Symbol.for('@plinth/devtools.fastifyTiming');

/**
 * Sends `Server-Timing` with the time of each Fastify lifecycle phase (onRequest hooks, parsing,
 * validation, preHandler hooks, handler) and the total; logs slow requests.
 */
export const fastifyServerTiming = global(
  async (fastify: FastifyInstance, options: ServerTimingOptions = {}) => {
    const settings = timingSettings(options);
    if (!settings.active) return;
    const get = (request: FastifyRequest) =>
      (request as unknown as Record<symbol, FastifyTiming | undefined>)[kTiming];
    const phase = (name: string) => (request: FastifyRequest) => {
      const timing = get(request);
      if (timing === undefined) return;
      const now = performance.now();
      timing.timer.add(name, now - timing.mark);
      timing.mark = now;
    };
    fastify.addHook('onRequest', async (request) => {
      const timer = new RequestTimer();
      (request as unknown as Record<symbol, FastifyTiming>)[kTiming] = { timer, mark: timer.started };
    });
    const onRequestDone = phase('onRequest');
    fastify.addHook('preParsing', async (request, _reply, payload) => {
      onRequestDone(request);
      return payload;
    });
    fastify.addHook('preValidation', async (request) => phase('parsing')(request));
    fastify.addHook('preHandler', async (request) => phase('validation')(request));
    // The last preHandler of every route marks where the handler starts.
    const handlerStarts = phase('preHandler');
    fastify.addHook('onRoute', (route) => {
      const last = async (request: FastifyRequest) => handlerStarts(request);
      route.preHandler = [
        ...(Array.isArray(route.preHandler) ? route.preHandler : route.preHandler ? [route.preHandler] : []),
        last,
      ];
    });
    fastify.addHook('onSend', async (request, reply, payload) => {
      const timing = get(request);
      if (timing === undefined) return payload;
      phase('handler')(request);
      if (settings.header)
        reply.header(
          'server-timing',
          timing.timer.header(performance.now() - timing.timer.started, settings.eventLoop),
        );
      return payload;
    });
    fastify.addHook('onResponse', async (request, reply) => {
      const timing = get(request);
      if (timing === undefined) return;
      timing.timer.logIfSlow(settings, performance.now() - timing.timer.started, {
        method: request.method,
        path: request.url.split('?')[0]!,
        route: request.routeOptions.url,
        status: reply.statusCode,
      });
    });
  },
  '@plinth/devtools.serverTiming',
);

const kError = Symbol.for('@plinth/devtools.fastifyError');

/**
 * Replaces the answer to a server error with the development error page when a browser asked and
 * NODE_ENV is not "production". Works with any error handler: it only rewrites the 5xx body.
 */
export const fastifyDevErrorPage = global(async (fastify: FastifyInstance) => {
  if (isProduction()) return;
  fastify.addHook('onError', async (request, _reply, error) => {
    (request as unknown as Record<symbol, unknown>)[kError] = error;
  });
  fastify.addHook('onSend', async (request, reply, payload) => {
    const error = (request as unknown as Record<symbol, unknown>)[kError];
    if (error === undefined || reply.statusCode < 500 || !showsErrorPage(error, request.headers.accept))
      return payload;
    reply.header('content-type', 'text/html; charset=utf-8').header('cache-control', 'no-store');
    reply.removeHeader('content-length');
    return renderErrorPage(error, {
      method: request.method,
      url: request.url,
      headers: headerPairs(request.headers),
      route: request.routeOptions.url,
    });
  });
}, '@plinth/devtools.devErrorPage');

/** The profiling endpoints (see `profilingEndpoints` in `@plinth/devtools/node`) as Fastify routes; none in production. */
export const fastifyProfiling = global(
  async (fastify: FastifyInstance, options: ProfilingEndpointsOptions = {}) => {
    const respond = createProfilingResponder(options);
    if (isProduction()) return;
    const base = options.path ?? '/__devtools';
    const handler = async (request: FastifyRequest, reply: FastifyReply) => {
      const query = request.url.indexOf('?');
      const answer = await respond({
        method: request.method,
        path: query === -1 ? request.url : request.url.slice(0, query),
        search: query === -1 ? '' : request.url.slice(query),
        header: (name) => {
          const value = request.headers[name.toLowerCase()];
          return Array.isArray(value) ? value.join(', ') : value;
        },
      });
      if (answer === undefined) return reply.callNotFound();
      reply.code(answer.status).headers(Object.fromEntries(answer.headers));
      return reply.send(Buffer.from(await answer.arrayBuffer()));
    };
    for (const kind of ['cpu-profile', 'heap-snapshot']) {
      fastify.route({
        method: ['GET', 'POST'],
        url: `${base}/${kind}`,
        config: { meta: { hide: true } },
        handler,
      });
    }
  },
  '@plinth/devtools.profiling',
);
