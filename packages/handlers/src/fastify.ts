export {
  bindFastify,
  type FastifyHooksLike,
  type FastifyLike,
  type FastifyRawReplyLike,
  type FastifyReplyLike,
  type FastifyRequestLike,
  type FastifyScopePlugin,
  fastifyRequestScope,
} from './adapters/fastify.js';
