export {
  bindExpress,
  type ExpressBindOptions,
  type ExpressHandler,
  type ExpressRequestLike,
  type ExpressResponseLike,
  type ExpressRouterLike,
  expressRequestScope,
} from './adapters/express.js';
