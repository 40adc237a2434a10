// Fastify 5 adapter: a plugin, not encapsulated (the fastify-plugin convention), that answers the app's
// routes under an optional prefix. Fastify's own routes win; a path the app does not know goes back to
// Fastify's 404. A body Fastify already parsed (JSON, text) is reused; other types stay unread for us.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type App, type Dispatch, dispatcherOf } from '../app.js';
import { usageError } from '../errors.js';
import { handleNode } from './node.js';

/** Options of {@link plinthFastify}. */
export interface PlinthFastifyOptions<State extends object = Record<string, unknown>> {
  /** The app whose routes to serve. */
  app: App<State>;
  /** Serve the app under this path (e.g. `/api`); the root by default. */
  basePath?: string;
}

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

/**
 * The Fastify plugin.
 *
 * @example
 * await fastify.register(plinthFastify, { app, basePath: '/api' });
 */
export function plinthFastify<State extends object>(
  fastify: FastifyInstance,
  options: PlinthFastifyOptions<State>,
  done: (error?: Error) => void,
): void {
  let dispatch: Dispatch;
  let base = options?.basePath ?? '';
  try {
    // Fail at registration, not at the first request: a missing app or a bad basePath stops ready().
    dispatch = dispatcherOf(options?.app);
    if (base !== '' && !base.startsWith('/')) {
      throw usageError('ERR_HTTP_INVALID_OPTIONS', `basePath ${JSON.stringify(base)} must start with "/".`);
    }
  } catch (error) {
    done(error as Error);
    return;
  }
  if (base.endsWith('/')) base = base.slice(0, -1);
  const strip = fastify.prefix + base;
  const handler = (request: FastifyRequest, reply: FastifyReply) => {
    const url = request.raw.url ?? '/';
    const routed = url.slice(strip.length);
    let fellThrough = false;
    handleNode(dispatch, request.raw, reply.raw, {
      parsed: request.body === undefined ? undefined : { value: request.body },
      url: routed === '' || routed.startsWith('?') ? `/${routed}` : routed,
      next: () => {
        fellThrough = true;
      },
    });
    if (fellThrough) {
      reply.callNotFound();
      return;
    }
    reply.hijack();
  };
  // An encapsulated child: the catch-all content-type parser below must not leak into the user's app.
  fastify.register((child, _options, next) => {
    // Leave bodies Fastify has no parser for unread, so ctx.body.form()/stream() read them as sent.
    child.addContentTypeParser('*', (_request, _payload, parsed) => parsed(null, undefined));
    child.route({ method: METHODS, url: `${base}/*`, handler, exposeHeadRoute: false });
    if (base !== '') child.route({ method: METHODS, url: base, handler, exposeHeadRoute: false });
    next();
  });
  done();
}

// The fastify-plugin convention without the dependency: skip encapsulation, name the plugin.
Object.assign(plinthFastify, {
  [Symbol.for('skip-override')]: true,
  [Symbol.for('fastify.display-name')]: '@plinth/http',
  [Symbol.for('plugin-meta')]: { name: '@plinth/http', fastify: '5.x' },
});
