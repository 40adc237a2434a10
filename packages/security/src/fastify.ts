export { fastifyCors, fastifyCsrf, fastifyRateLimit, fastifySecureHeaders } from './adapters/fastify.js';
