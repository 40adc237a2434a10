export {
  type ExpressHost,
  type ExpressMiddleware,
  expressHost,
  type PlinthExpressOptions,
  plinthExpress,
  rawBody,
} from './adapters/express.js';
