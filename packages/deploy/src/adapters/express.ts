// The health endpoints as Express 5 middleware: a thin translation onto the node adapter.
import type {
  Request as ExpressRequest,
  Response as ExpressResponse,
  NextFunction,
  RequestHandler,
} from 'express';
import type { Health } from '../health.js';
import { respondNode, writeNode } from './node.js';

/**
 * Express middleware that answers the health endpoints (paths relative to where it is mounted)
 * and passes everything else on.
 *
 * @example
 * app.use(expressHealth(health));
 */
export function expressHealth(health: Health): RequestHandler {
  return (request: ExpressRequest, response: ExpressResponse, next: NextFunction) => {
    respondNode(health, request).then(
      (answer) => (answer === undefined ? next() : writeNode(response, answer)),
      next,
    );
  };
}
