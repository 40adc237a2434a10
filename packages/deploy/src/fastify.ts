export { type FastifyHealthOptions, fastifyHealth } from './adapters/fastify.js';
