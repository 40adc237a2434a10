// Express 5 adapter: `plinthExpress(app, options)` is Connect-style middleware that answers the app's
// routes under whatever mount path Express gives it, hands unknown paths back with next(), exposes
// Express's req/res to handlers (expressHost) and names the route pattern on req.routePath for logs.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Response as ExpressResponse, NextFunction, Request } from 'express';
import { type App, dispatcherOf } from '../app.js';
import type { Context, RouteInfo } from '../context.js';
import { usageError } from '../errors.js';
import { type HostPair, hostOf } from '../host.js';
import { handleNode, parsedBodyOf, routePathUnder } from './node.js';

/** Options of {@link plinthExpress}. */
export interface PlinthExpressOptions<State extends object = Record<string, unknown>> {
  /**
   * Seeds `ctx.state` for each request from Express's req/res, e.g. what passport or a session
   * middleware set up: `state: (req) => ({ user: req.user })`.
   */
  state?: (req: Request, res: ExpressResponse) => State;
  /**
   * A wrong method on a path the app serves: `'next'` (default) hands the request back to Express,
   * as an unknown path is; `'answer'` answers 405 with `Allow`, and OPTIONS with 204 and `Allow`.
   */
  methodNotAllowed?: 'next' | 'answer';
}

/** Express's request and response for the current Plinth request. */
export interface ExpressHost extends HostPair {
  readonly kind: 'express';
  readonly req: Request;
  readonly res: ExpressResponse;
}

/** The Express middleware signature, typed without Express's generics. */
export type ExpressMiddleware = (req: IncomingMessage, res: ServerResponse, next: NextFunction) => void;

/**
 * Express's `req` and `res` of the request a handler is serving: `req.user` from passport,
 * `req.session`, `res.locals`. Throws `ERR_HTTP_NOT_MOUNTED` outside {@link plinthExpress}.
 *
 * @example
 * app.get('/me', (ctx) => json({ user: expressHost(ctx).req.user }));
 */
export function expressHost(ctx: Pick<Context<object>, 'method' | 'path'>): ExpressHost {
  return hostOf<ExpressHost>(ctx, 'express');
}

/**
 * A `verify` function for Express's body parsers that keeps the bytes the client sent on
 * `req.rawBody`, so `ctx.body.text()`/`bytes()` return them exactly (webhook signatures) and
 * `ctx.body.json()` parses them with Plinth's own rules.
 *
 * @example
 * server.use(express.json({ verify: rawBody }));
 */
export function rawBody(req: IncomingMessage, _res: ServerResponse, buffer: Buffer): void {
  (req as { rawBody?: Buffer }).rawBody = buffer;
}

/**
 * The app as Express 5 middleware: `server.use('/api', plinthExpress(app))`.
 *
 * @example
 * server.use(express.json({ verify: rawBody }));
 * server.use('/api', plinthExpress(app, { state: (req) => ({ user: req.user }) }));
 */
export function plinthExpress<State extends object>(
  app: App<State>,
  options: PlinthExpressOptions<State> = {},
): ExpressMiddleware {
  const dispatch = dispatcherOf(app);
  const mode = options.methodNotAllowed ?? 'next';
  if (mode !== 'next' && mode !== 'answer') {
    throw usageError(
      'ERR_HTTP_INVALID_OPTIONS',
      `methodNotAllowed must be 'next' or 'answer', not ${JSON.stringify(mode)}.`,
    );
  }
  const seed = options.state;
  if (seed !== undefined && typeof seed !== 'function') {
    throw usageError('ERR_HTTP_INVALID_OPTIONS', 'state must be a function (req, res) => object.');
  }
  return (rawReq, rawRes, next) => {
    const req = rawReq as Request;
    const res = rawRes as ExpressResponse;
    handleNode(dispatch, req, res, {
      mode: mode === 'answer' ? 'next-unknown-path' : 'next',
      parsed: parsedBodyOf(req),
      originalUrl: req.originalUrl,
      next,
      host: { kind: 'express', req, res } satisfies ExpressHost,
      state: seed === undefined ? undefined : () => seed(req, res),
      // SEAMS §C: the full pattern, mount path included, for the host's request logs.
      matched: (route: RouteInfo) => {
        (req as { routePath?: string }).routePath = routePathUnder(req.baseUrl, route.path);
      },
    });
  };
}
