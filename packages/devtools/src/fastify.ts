export {
  collectFastifyRoutes,
  type FastifyOpenApiOptions,
  fastifyDevErrorPage,
  fastifyOpenApi,
  fastifyProfiling,
  fastifyServerTiming,
} from './adapters/fastify.js';
