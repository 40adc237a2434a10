export { type PlinthFastifyOptions, plinthFastify } from './adapters/fastify.js';
