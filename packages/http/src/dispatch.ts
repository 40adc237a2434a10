// Dispatching one request: split the request target, find the route, build the context, run the
// compiled chain, and turn whatever is thrown into the onError answer. Requests no route serves go to
// the fallback (404, 405 with Allow, automatic OPTIONS) or, under a host framework, back to the host.
import { type Chain, checked, compose, expectResponse, type Handler, type Middleware } from './compose.js';
import { type Context, RequestContext, type RequestSource, type RouteInfo } from './context.js';
import { HttpError } from './errors.js';
import { problem } from './problem.js';
import { empty } from './response.js';
import type { Router } from './router.js';
import type { RouteRecord } from './routes.js';

/** Answers every error thrown in middleware or handlers. */
export type ErrorHandler<State extends object = Record<string, unknown>> = (
  error: unknown,
  ctx: Context<State>,
) => Response | Promise<Response>;

/**
 * Internal: how a dispatch ends when no route serves the request.
 * - `answer`: 404 / 405 / OPTIONS from the app (serve(), app.fetch).
 * - `next`: give the request back to the host framework (Express next(), Fastify's 404).
 * - `next-unknown-path`: back to the host only when no route has this path; a wrong method gets 405.
 */
export type NoRouteMode = 'answer' | 'next' | 'next-unknown-path';

/** Internal: per-request options a node or host adapter passes to {@link Dispatch}. */
export interface DispatchOptions {
  mode: NoRouteMode;
  /** The host framework's request and reply, for `expressHost(ctx)` / `fastifyHost(ctx)`. */
  host?: unknown;
  /** Initial `ctx.state`, seeded by the mount's `state` option. */
  state?: (() => object) | undefined;
  /** Called with the matched route before any middleware runs (route pattern for host request logs). */
  matched?: ((route: RouteInfo) => void) | undefined;
}

/**
 * Internal: where an adapter wants an asynchronous response delivered. Handing it to dispatch saves the
 * promise the adapter would otherwise chain on the dispatcher's own (one reaction a request fewer:
 * benchmark "HTTP GET /users/:id" with an async handler).
 */
export interface ResponseSink {
  /** Writes the response; must not throw. */
  send(response: Response): void;
  /** The chain and the onError hook both failed, or the response could not be made. */
  fail(error: unknown): void;
}

/**
 * Internal: dispatches one request. `undefined` means "no route, let the host framework continue";
 * `null` that the response will reach `sink` (only when one was given and the chain is asynchronous).
 */
export type Dispatch = (
  source: RequestSource,
  options: DispatchOptions,
  sink?: ResponseSink,
) => Response | Promise<Response> | undefined | null;

/** What a dispatcher reads from its app; hooks are read per request so later changes apply. */
export interface DispatchTarget {
  router: Router<RouteRecord>;
  globalMiddleware: Middleware[];
  bodyLimit: number;
  notFound(): Handler;
  onError(): ErrorHandler;
  /** Bumped by every `use()`: compiled chains older than it are rebuilt on their next request. */
  generation(): number;
}

const EMPTY_PARAMS: Record<string, string> = Object.freeze({}) as Record<string, string>;

// RFC 9110 §5.6.2 token; CONNECT, TRACE and TRACK are forbidden methods of the fetch standard, so no
// WHATWG Request can carry them (undici throws): they never reach middleware that reads ctx.request.
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const FORBIDDEN = new Set(['CONNECT', 'TRACE', 'TRACK']);

/** Whether a WHATWG Request can be built with this method. */
export function isFetchMethod(method: string): boolean {
  return TOKEN.test(method) && !FORBIDDEN.has(method.toUpperCase());
}

/** Splits a request target into its raw path and `?query`; `path` is '' when the target is unusable. */
export function splitTarget(raw: string): { path: string; search: string } {
  let target = raw;
  if (target.charCodeAt(0) !== 47) {
    // Absolute-form request targets (RFC 9112 §3.2.2) carry a whole URL.
    try {
      const url = new URL(target);
      target = url.pathname + url.search;
    } catch {
      return { path: '', search: '' };
    }
  }
  const question = target.indexOf('?');
  return question === -1
    ? { path: target, search: '' }
    : { path: target.slice(0, question), search: target.slice(question) };
}

function applyCookies(response: Response, cookies: string[]): Response {
  try {
    for (const cookie of cookies) response.headers.append('set-cookie', cookie);
    return response;
  } catch {
    // Responses from Response.redirect() or fetch() have immutable headers: copy them once.
    const copy = new Response(response.body, response);
    for (const cookie of cookies) copy.headers.append('set-cookie', cookie);
    return copy;
  }
}

function allowHeader(allowed: string[]): string {
  if (!allowed.includes('OPTIONS')) allowed.push('OPTIONS');
  return allowed.join(', ');
}

function methodNotAllowed(method: string, allowed: string[]): HttpError {
  const allow = allowHeader(allowed);
  // RFC 9110 §15.5.6: a 405 carries Allow.
  return new HttpError(405, `${method} is not allowed here; allowed: ${allow}.`, {
    code: 'METHOD_NOT_ALLOWED',
    headers: { allow },
  });
}

/** Internal: the dispatcher of one app. */
export function createDispatch(target: DispatchTarget): Dispatch {
  const { router, bodyLimit } = target;

  // Requests that match no route: 404, or 405 with Allow, or the automatic OPTIONS answer.
  const fallback: RouteRecord = {
    info: { method: '*', path: '', meta: {} },
    layers: [target.globalMiddleware],
    chain: undefined,
    generation: -1,
    handler: (ctx) => {
      const allowed = router.allowedMethods(ctx.path);
      if (allowed.length === 0) return target.notFound()(ctx);
      // RFC 9110 §9.3.7: OPTIONS answers what the resource supports.
      if (ctx.method === 'OPTIONS') return empty(204, { headers: { allow: allowHeader(allowed) } });
      throw methodNotAllowed(ctx.method, allowed);
    },
  };

  const chainOf = (record: RouteRecord): Chain => {
    const generation = target.generation();
    if (record.chain === undefined || record.generation !== generation) {
      record.chain = compose(record.layers.flat(), record.handler);
      record.generation = generation;
    }
    return record.chain;
  };

  const finish = (ctx: RequestContext, response: Response): Response =>
    ctx.setCookies === undefined ? response : applyCookies(response, ctx.setCookies);

  const fail = (ctx: RequestContext, error: unknown): Response | Promise<Response> => {
    const last = (secondError: unknown) => {
      console.error(secondError);
      return finish(ctx, problem(500));
    };
    try {
      const result = expectResponse(target.onError()(error, ctx), ctx, 'onError hook');
      if (result instanceof Response) return finish(ctx, result);
      return result.then((response) => finish(ctx, response), last);
    } catch (secondError) {
      return last(secondError);
    }
  };

  const noResponse = (ctx: RequestContext, value: unknown): Response | Promise<Response> => {
    try {
      return checked(value, ctx, 'middleware');
    } catch (error) {
      return fail(ctx, error);
    }
  };

  /** What a promise of the chain settles to, handed to the sink (a second hop only for an async onError). */
  const deliver = (sink: ResponseSink, result: Response | Promise<Response>): void => {
    if (result instanceof Response) sink.send(result);
    else
      result.then(
        (response) => sink.send(response),
        (error: unknown) => sink.fail(error),
      );
  };

  const settle = (ctx: RequestContext, response: unknown): Response | Promise<Response> =>
    // compose() checks handlers where they return; a middleware's promise is checked here, once.
    response instanceof Response ? finish(ctx, response) : noResponse(ctx, response);

  const run = (
    ctx: RequestContext,
    chain: Chain,
    sink: ResponseSink | undefined,
  ): Response | Promise<Response> | null => {
    try {
      const result = chain(ctx);
      if (result instanceof Response) return finish(ctx, result);
      if (result !== null && typeof (result as Promise<Response>)?.then === 'function') {
        if (sink === undefined) {
          return (result as Promise<unknown>).then(
            (response) => settle(ctx, response),
            (error) => fail(ctx, error),
          );
        }
        (result as Promise<unknown>).then(
          (response) => deliver(sink, settle(ctx, response)),
          (error) => deliver(sink, fail(ctx, error)),
        );
        return null;
      }
      return finish(ctx, expectResponse(result, ctx) as Response);
    } catch (error) {
      return fail(ctx, error);
    }
  };

  const context = (
    source: RequestSource,
    path: string,
    search: string,
    params: Record<string, string>,
    route: RouteInfo | undefined,
    options: DispatchOptions,
  ) => {
    const ctx = new RequestContext(source, path, search, params, route, bodyLimit);
    if (options.host !== undefined) ctx.host = options.host;
    if (options.state !== undefined) ctx.state = options.state() as Record<string, unknown>;
    return ctx;
  };

  const noRoute = (
    source: RequestSource,
    path: string,
    search: string,
    options: DispatchOptions,
    sink: ResponseSink | undefined,
  ) => {
    if (options.mode === 'next') return undefined;
    const allowed = router.allowedMethods(path);
    if (options.mode === 'next-unknown-path' && allowed.length === 0) return undefined;
    const ctx = context(source, path, search, {}, undefined, options);
    if (!isFetchMethod(source.method)) {
      // No middleware runs: any of them may read ctx.request, which cannot exist for this method.
      const error =
        allowed.length > 0
          ? methodNotAllowed(source.method, allowed)
          : new HttpError(501, `The method ${source.method} is not implemented by this server.`, {
              code: 'NOT_IMPLEMENTED',
            });
      return fail(ctx, error);
    }
    return run(ctx, chainOf(fallback), sink);
  };

  return (source, options, sink) => {
    const { path, search } = splitTarget(source.target);
    let match: ReturnType<Router<RouteRecord>['find']>;
    try {
      if (path === '') {
        throw new HttpError(400, 'The request target is not a valid URL.', { code: 'MALFORMED_URL' });
      }
      match = router.find(source.method, path);
    } catch (error) {
      return fail(context(source, path || '/', search, EMPTY_PARAMS, undefined, options), error);
    }
    if (match === null) return noRoute(source, path, search, options, sink);
    const record = match.value;
    options.matched?.(record.info);
    return run(context(source, path, search, match.params, record.info, options), chainOf(record), sink);
  };
}
