export {
  type FastifyHost,
  fastifyHost,
  type PlinthFastifyOptions,
  plinthFastify,
} from './adapters/fastify.js';
