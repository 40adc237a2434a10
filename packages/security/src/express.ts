export {
  type ExpressMiddleware,
  expressCors,
  expressCsrf,
  expressRateLimit,
  expressSecureHeaders,
} from './adapters/express.js';
