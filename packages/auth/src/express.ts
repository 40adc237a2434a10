export { authenticate, type ExpressMiddleware, requirePermission } from './adapters/express.js';
