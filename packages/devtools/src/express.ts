export {
  describeRoute,
  expressDevErrorPage,
  expressOpenApi,
  expressProfiling,
  expressRoutes,
  expressServerTiming,
  expressTimed,
} from './adapters/express.js';
