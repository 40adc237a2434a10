export {
  stateKey,
  type ValidationMiddleware,
  validate,
  validatedInput,
  validateRoutes,
} from './adapters/fetch.js';
export type { Middleware, MiddlewareContext, Next } from './middleware-context.js';
