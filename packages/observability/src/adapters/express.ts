// Express 5 adapter: request logging as Connect middleware and problem+json as error middleware.
import type { ErrorRequestHandler, Request, RequestHandler } from 'express';
import { type ErrorHandlerOptions, reportError } from '../error-report.js';
import { fromExpressError } from '../host-errors.js';
import { mountedRoute } from '../mounted-route.js';
import { renderProblem } from '../problem.js';
import {
  beginRequest,
  contextOf,
  keepContext,
  nodeHeader,
  pathOf,
  type RequestLoggerOptions,
  resolveRequestLoggerOptions,
} from '../request-scope.js';

export type { ErrorHandlerOptions, RequestLoggerOptions };

/**
 * Express middleware: request id (echoed), server span, `getLogger()` context for the rest of the chain,
 * and one line per request when the response finishes. Mount it first.
 * @example
 * app.use(requestLogger({ logger }));
 */
export function requestLogger(options: RequestLoggerOptions = {}): RequestHandler {
  const config = resolveRequestLoggerOptions(options);
  return (req, res, next) => {
    // Only IncomingMessage fields are read, so this also runs as plain node:http middleware.
    const scope = beginRequest(
      {
        method: req.method,
        path: pathOf(req.originalUrl ?? req.url),
        header: (name) => nodeHeader(req.headers, name),
      },
      config,
    );
    res.setHeader(scope.requestIdHeader, scope.requestId);
    keepContext(req, scope);
    if (res.locals !== undefined) res.locals.requestId = scope.requestId;
    // Node emits 'close' on every response, after 'finish' when it completed: one listener covers both.
    // Not finished means the client left first; 499 as nginx logs it.
    // bench "request logging": `on`, not `once` (no wrapper per request); 'close' fires once and
    // finish() ignores later calls anyway.
    res.on('close', () => {
      const completed = res.writableFinished;
      scope.finish(completed ? res.statusCode : 499, routeOf(req), undefined, !completed);
    });
    // The rest of the chain runs inside the context, so every await below sees it.
    scope.run(next);
  };
}

/**
 * Express error middleware: sends anything passed to `next(err)` or thrown by an async handler as
 * RFC 9457 problem+json, the body parsers' errors with Plinth's codes (`MALFORMED_BODY` 400,
 * `CONTENT_TOO_LARGE` 413, `UNSUPPORTED_MEDIA_TYPE` 415). Mount it last.
 * @example
 * app.use(errorHandler());
 */
export function errorHandler(options: ErrorHandlerOptions = {}): ErrorRequestHandler {
  return (error, req, res, next) => {
    // Headers already left: only Express's default handler can end the broken response.
    if (res.headersSent) return next(error);
    const problem = reportError(
      error,
      pathOf(req.originalUrl ?? req.url),
      options,
      fromExpressError,
      contextOf(req),
    );
    const { payload, headers } = renderProblem(problem);
    // writeHead and end, not res.send(): send() would append "; charset=utf-8" to the content type.
    res.writeHead(problem.status, headers).end(payload);
  };
}

// SEAMS §C: a mounted @plinth/http app sets req.routePath (its full pattern, mount path included) when
// one of its routes matched. Otherwise Express's req.route, with the mount paths of its routers.
function routeOf(req: Request): string | undefined {
  const routePath = (req as { routePath?: unknown }).routePath;
  if (typeof routePath === 'string') return routePath;
  return mountedRoute(req);
}
