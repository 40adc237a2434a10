// Express 5 binding, structural (no import of express): each definition becomes a route on the
// router or app given; plus the request-scope middleware. Bodies come from express.json() when it
// ran, else they are read here with a limit.
import { type BindOptions, bindAll, type IncomingRequest } from '../bind.js';
import type { Container } from '../container.js';
import type { BindableDefinition } from '../definition.js';
import { HandlersError } from '../errors.js';
import { readJsonBody } from '../json-body.js';
import type { Outgoing } from '../outgoing.js';
import { scopeStorage } from '../request-scope.js';

/** The part of an Express request the binding reads. */
export interface ExpressRequestLike extends AsyncIterable<Uint8Array | string> {
  readonly method: string;
  readonly path: string;
  /** The URL as received, mount path included. */
  readonly originalUrl: string;
  /** The mount path of the router that matched. */
  readonly baseUrl: string;
  readonly params: Record<string, string | string[]>;
  readonly query: unknown;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body?: unknown;
  get(name: string): string | undefined;
}

/** The part of an Express response the binding writes. */
export interface ExpressResponseLike {
  statusCode: number;
  readonly writableFinished: boolean;
  setHeader(name: string, value: string): unknown;
  end(body?: string): unknown;
  once(event: 'close', listener: () => void): unknown;
}

/** Express middleware / route handler. */
export type ExpressHandler = (
  req: ExpressRequestLike,
  res: ExpressResponseLike,
  next: (error?: unknown) => void,
) => void;

/** An Express app or Router: route registration by method. */
export interface ExpressRouterLike {
  get(path: string, handler: ExpressHandler): unknown;
  post(path: string, handler: ExpressHandler): unknown;
  put(path: string, handler: ExpressHandler): unknown;
  patch(path: string, handler: ExpressHandler): unknown;
  delete(path: string, handler: ExpressHandler): unknown;
  head(path: string, handler: ExpressHandler): unknown;
  options(path: string, handler: ExpressHandler): unknown;
}

/** Options of {@link bindExpress}. */
export interface ExpressBindOptions extends BindOptions {
  /** Body size limit in bytes when express.json() did not run; 1 MiB. */
  bodyLimit?: number;
}

const WILDCARD = 'wildcard';

// Express 5 (path-to-regexp 8) names its wildcards: `/files/*` is written `/files/*wildcard`.
function expressPath(path: string): string {
  return path.endsWith('*') ? `${path}${WILDCARD}` : path;
}

function paramsOf(req: ExpressRequestLike, path: string): Record<string, string> {
  const params: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.params)) {
    if (name === WILDCARD && path.endsWith('*')) params['*'] = Array.isArray(value) ? value.join('/') : value;
    else params[name] = Array.isArray(value) ? value.join('/') : value;
  }
  return params;
}

function pathname(url: string): string {
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}

function write(res: ExpressResponseLike, outgoing: Outgoing): void {
  res.statusCode = outgoing.status;
  for (const [name, value] of Object.entries(outgoing.headers)) res.setHeader(name, value);
  if (outgoing.body !== undefined) res.setHeader('content-length', String(Buffer.byteLength(outgoing.body)));
  res.end(outgoing.body);
}

function abortSignal(res: ExpressResponseLike): AbortSignal {
  const controller = new AbortController();
  res.once('close', () => {
    if (!res.writableFinished) controller.abort(new Error('The client closed the connection.'));
  });
  return controller.signal;
}

function incoming(
  req: ExpressRequestLike,
  res: ExpressResponseLike,
  path: string,
  limit: number,
): IncomingRequest {
  let signal: AbortSignal | undefined;
  return {
    method: req.method,
    path: pathname(req.originalUrl),
    routePath: req.baseUrl + path,
    params: paramsOf(req, path),
    query: () => req.query,
    headers: () => req.headers,
    body: () => (req.body !== undefined ? req.body : readJsonBody(req, limit)),
    header: (name) => req.get(name),
    // Made on first use: most requests never read it.
    get signal() {
      signal ??= abortSignal(res);
      return signal;
    },
    scope: undefined,
    raw: req,
  };
}

/**
 * Adds every definition as a route of an Express 5 app or Router.
 *
 * @example
 * const router = express.Router();
 * bindExpress(router, [getUser, createUser], { container });
 * app.use('/api', router);
 */
export function bindExpress(
  router: ExpressRouterLike,
  definitions: readonly BindableDefinition[],
  options: ExpressBindOptions = {},
): void {
  const limit = options.bodyLimit ?? 1024 * 1024;
  if (!Number.isInteger(limit) || limit < 0) {
    throw new HandlersError(
      'ERR_HANDLERS_INVALID_OPTION',
      `bodyLimit must be a whole number of bytes ≥ 0, got ${String(limit)}.`,
    );
  }
  for (const { definition, run } of bindAll(definitions, options)) {
    const method = definition.method.toLowerCase() as Lowercase<BindableDefinition['method']>;
    router[method](expressPath(definition.path), async (req, res, next) => {
      // Errors reach here only with forwardErrors (or when writing failed): Express takes them.
      try {
        write(res, await run(incoming(req, res, definition.path, limit)));
      } catch (error) {
        next(error);
      }
    });
  }
}

/**
 * Express middleware opening a request scope of `container` for the rest of the request
 * (AsyncLocalStorage), disposed when the response is finished or the client goes away.
 */
export function expressRequestScope(container: Container): ExpressHandler {
  return (_req, res, next) => {
    const scope = container.createScope();
    // 'close' comes after the response finished, or as soon as the client aborts.
    res.once('close', () => {
      scope.dispose().catch((error: unknown) => container.reportDisposeError(error));
    });
    scopeStorage.run(scope, next);
  };
}
