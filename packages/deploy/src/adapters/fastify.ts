// The health endpoints as a Fastify 5 plugin, not encapsulated (the fastify-plugin convention).
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import type { Health } from '../health.js';
import { toWebRequest } from './node.js';

/** Options of {@link fastifyHealth}. */
export interface FastifyHealthOptions {
  /** The health registry to serve. */
  health: Health;
}

async function plugin(fastify: FastifyInstance, options: FastifyHealthOptions): Promise<void> {
  const { health } = options;
  for (const path of Object.values(health.paths)) {
    // GET only; Fastify adds the HEAD route itself.
    fastify.get(path, async (request, reply) => {
      const query = request.url.indexOf('?');
      const answer = await health.respond({
        // Fastify's own HEAD route strips the body of the GET answer and keeps its Content-Length.
        method: 'GET',
        pathname: path,
        search: () => (query === -1 ? '' : request.url.slice(query)),
        request: () => toWebRequest(request.raw),
      });
      // respond() answers every path it was registered for; a Buffer keeps Fastify from adding a charset.
      return reply.code(answer!.status).headers(answer!.headers).send(Buffer.from(answer!.body));
    });
  }
}

// Not encapsulated, so the routes live on the instance that registered the plugin (fastify-plugin's convention).
Object.assign(plugin, {
  [Symbol.for('skip-override')]: true,
  [Symbol.for('fastify.display-name')]: '@plinth/deploy',
});

/**
 * A Fastify plugin that serves the health endpoints. For graceful shutdown pass the Fastify
 * instance to `shutdown.addServer(app)`: its own `close()` drains (see Fastify's
 * `return503OnClosing` and `forceCloseConnections`).
 *
 * @example
 * await app.register(fastifyHealth, { health });
 */
export const fastifyHealth: FastifyPluginAsync<FastifyHealthOptions> = plugin;
