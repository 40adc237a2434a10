export {
  auth,
  type FastifyAuthHook,
  type FastifyAuthOptions,
  requirePermission,
} from './adapters/fastify.js';
