export {
  type FastifyValidationOptions,
  serializerCompiler,
  validation,
  validatorCompiler,
} from './adapters/fastify.js';
