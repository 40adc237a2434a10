export {
  type ExpressValidationMiddleware,
  type ExpressValidationOptions,
  validate,
  validatedInput,
} from './adapters/express.js';
