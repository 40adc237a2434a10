export { type ExpressValidationMiddleware, validate, validatedInput } from './adapters/express.js';
