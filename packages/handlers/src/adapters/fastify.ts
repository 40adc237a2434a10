// Fastify 5 binding, structural (no import of fastify): each definition becomes `fastify.route()`
// with its RouteMeta under `config.meta`; plus a non-encapsulated plugin opening a request scope.
import { type BindOptions, bindAll, type IncomingRequest } from '../bind.js';
import type { Container } from '../container.js';
import type { BindableDefinition } from '../definition.js';
import type { Outgoing } from '../outgoing.js';
import { scopeStorage } from '../request-scope.js';
import type { Scope } from '../scope.js';

const kScope = Symbol.for('@plinth/handlers.scope');

/** The raw node response under a Fastify reply. */
export interface FastifyRawReplyLike {
  readonly writableFinished: boolean;
  once(event: 'close', listener: () => void): unknown;
}

/** The part of a Fastify request the binding reads. */
export interface FastifyRequestLike {
  readonly method: string;
  readonly url: string;
  /** The matched route; its `url` includes the plugin prefix. */
  readonly routeOptions?: { readonly url?: string | undefined };
  readonly params: unknown;
  readonly query: unknown;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body?: unknown;
}

/** The part of a Fastify reply the binding writes. */
export interface FastifyReplyLike {
  readonly raw: FastifyRawReplyLike;
  code(status: number): FastifyReplyLike;
  header(name: string, value: string): FastifyReplyLike;
  send(body?: Uint8Array): FastifyReplyLike;
}

/** What the binding needs from a Fastify instance. */
export interface FastifyLike {
  route(options: {
    method: string;
    url: string;
    config: { meta: Record<string, unknown> };
    handler: (request: FastifyRequestLike, reply: FastifyReplyLike) => Promise<unknown>;
  }): unknown;
}

/** What the request-scope plugin needs from a Fastify instance. */
export interface FastifyHooksLike {
  addHook(
    name: 'onRequest' | 'preHandler',
    hook: (request: FastifyRequestLike, reply: FastifyReplyLike, done: () => void) => void,
  ): unknown;
}

function header(request: FastifyRequestLike, name: string): string | undefined {
  const value = request.headers[name.toLowerCase()];
  return Array.isArray(value) ? value.join(', ') : value;
}

function abortSignal(reply: FastifyReplyLike): AbortSignal {
  const controller = new AbortController();
  reply.raw.once('close', () => {
    if (!reply.raw.writableFinished) controller.abort(new Error('The client closed the connection.'));
  });
  return controller.signal;
}

function incoming(request: FastifyRequestLike, reply: FastifyReplyLike, path: string): IncomingRequest {
  const query = request.url.indexOf('?');
  let signal: AbortSignal | undefined;
  return {
    method: request.method,
    path: query === -1 ? request.url : request.url.slice(0, query),
    routePath: request.routeOptions?.url ?? path,
    params: (request.params ?? {}) as Record<string, string>,
    query: () => request.query,
    headers: () => request.headers,
    body: () => request.body,
    header: (name) => header(request, name),
    // Made on first use: most requests never read it.
    get signal() {
      signal ??= abortSignal(reply);
      return signal;
    },
    scope: (request as { [kScope]?: Scope })[kScope],
    raw: request,
  };
}

function send(reply: FastifyReplyLike, outgoing: Outgoing): FastifyReplyLike {
  reply.code(outgoing.status);
  for (const [name, value] of Object.entries(outgoing.headers)) reply.header(name, value);
  // A Buffer, not a string: Fastify would append "; charset=utf-8" to a JSON content type, and
  // problem+json goes out without parameters (SEAMS §B).
  return outgoing.body === undefined ? reply.send() : reply.send(Buffer.from(outgoing.body));
}

/**
 * Adds every definition as a Fastify route (`config.meta` holds its RouteMeta). Call it on the
 * instance, or inside a plugin to get that plugin's prefix.
 *
 * @example
 * const app = Fastify();
 * bindFastify(app, [getUser, createUser], { container });
 */
export function bindFastify(
  fastify: FastifyLike,
  definitions: readonly BindableDefinition[],
  options: BindOptions = {},
): void {
  for (const { definition, run } of bindAll(definitions, options)) {
    fastify.route({
      method: definition.method,
      url: definition.path,
      config: { meta: definition.meta as Record<string, unknown> },
      handler: async (request, reply) => send(reply, await run(incoming(request, reply, definition.path))),
    });
  }
}

/** A Fastify plugin function, not encapsulated (fastify-plugin's `skip-override`). */
export interface FastifyScopePlugin {
  (instance: FastifyHooksLike, options: unknown, done: () => void): void;
  [key: symbol]: unknown;
}

/**
 * A Fastify plugin opening a request scope of `container` per request (visible through
 * AsyncLocalStorage from the handler on), disposed when the response ends or the client goes away.
 *
 * @example
 * await app.register(fastifyRequestScope(container));
 */
export function fastifyRequestScope(container: Container): FastifyScopePlugin {
  const plugin = ((instance, _options, done) => {
    instance.addHook('onRequest', (request, reply, next) => {
      const scope = container.createScope();
      (request as { [kScope]?: Scope })[kScope] = scope;
      reply.raw.once('close', () => {
        scope.dispose().catch((error: unknown) => container.reportDisposeError(error));
      });
      scopeStorage.run(scope, next);
    });
    // Body parsing runs outside the onRequest context: enter the scope again before the handler.
    instance.addHook('preHandler', (request, _reply, next) => {
      const scope = (request as { [kScope]?: Scope })[kScope];
      if (scope === undefined) next();
      else scopeStorage.run(scope, next);
    });
    done();
  }) as FastifyScopePlugin;
  plugin[Symbol.for('skip-override')] = true;
  plugin[Symbol.for('fastify.display-name')] = '@plinth/handlers request scope';
  return plugin;
}
