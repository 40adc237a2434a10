export {
  type FastifyValidationOptions,
  type StandardSchemaProvider,
  serializerCompiler,
  validation,
  validatorCompiler,
} from './adapters/fastify.js';
