// Fastify 5 adapter: a plugin, not encapsulated (the fastify-plugin convention), that answers the app's
// routes under an optional prefix. Fastify's own routes win; a path the app does not know goes back to
// Fastify's 404. Responses go out through the reply, so other plugins' headers (CORS, helmet, request
// ids) and onSend/onResponse hooks apply to Plinth routes as to Fastify's own.
import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type App, dispatcherOf } from '../app.js';
import type { Context, RouteInfo } from '../context.js';
import type { Dispatch, ResponseSink } from '../dispatch.js';
import { usageError } from '../errors.js';
import { type HostPair, hostOf } from '../host.js';
import { NodeRequestSource } from '../node-request.js';
import { unreadBody } from '../node-response.js';
import { fastState } from '../response.js';
import { routePathUnder } from './node.js';

/** Options of {@link plinthFastify}. */
export interface PlinthFastifyOptions<State extends object = Record<string, unknown>> {
  /** The app whose routes to serve. */
  app: App<State>;
  /** Serve the app under this path (e.g. `/api`), inside the register prefix; the root by default. */
  basePath?: string;
  /**
   * Seeds `ctx.state` from Fastify's request/reply, e.g. a decorator set by @fastify/jwt or an
   * onRequest hook: `state: (request) => ({ user: request.user })`.
   */
  state?: (request: FastifyRequest, reply: FastifyReply) => State;
  /**
   * A wrong method on a path the app serves: `'next'` (default) hands the request to Fastify's 404
   * handler, as an unknown path is; `'answer'` answers 405 with `Allow`, and OPTIONS with `Allow`.
   */
  methodNotAllowed?: 'next' | 'answer';
}

/** Fastify's request and reply for the current Plinth request. */
export interface FastifyHost extends HostPair {
  readonly kind: 'fastify';
  readonly request: FastifyRequest;
  readonly reply: FastifyReply;
}

/**
 * Fastify's `request` and `reply` of the request a handler is serving, with their decorators
 * (`request.user` from @fastify/jwt). Throws `ERR_HTTP_NOT_MOUNTED` outside {@link plinthFastify}.
 *
 * @example
 * app.get('/me', (ctx) => json({ user: fastifyHost(ctx).request.user }));
 */
export function fastifyHost(ctx: Pick<Context<object>, 'method' | 'path'>): FastifyHost {
  return hostOf<FastifyHost>(ctx, 'fastify');
}

// TRACE too, so that with methodNotAllowed: 'answer' it gets Plinth's 405 on a routed path (no route
// can serve it: a WHATWG Request cannot carry it).
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'TRACE'];

/** The target to route on: path and query of the raw target, as Fastify's router saw it. */
export function routedTarget(raw: string, strip: string, collapseSlashes: boolean): string {
  let target = raw;
  if (target.charCodeAt(0) !== 47) {
    // Absolute-form target (RFC 9112 §3.2.2): route on its path, as Fastify does.
    const scheme = target.indexOf('://');
    const slash = scheme === -1 ? -1 : target.indexOf('/', scheme + 3);
    const question = target.indexOf('?', scheme + 3);
    target =
      slash === -1 || (question !== -1 && question < slash)
        ? `/${question === -1 ? '' : target.slice(question)}`
        : target.slice(slash);
  }
  if (collapseSlashes && target.includes('//')) {
    const question = target.indexOf('?');
    const path = question === -1 ? target : target.slice(0, question);
    target = path.replace(/\/{2,}/g, '/') + (question === -1 ? '' : target.slice(question));
  }
  if (strip !== '' && target.startsWith(strip)) target = target.slice(strip.length);
  return target === '' || target.charCodeAt(0) === 63 ? `/${target}` : target;
}

/** Sends a Response through Fastify's reply: status, headers (several Set-Cookie), body or stream. */
function sendThroughReply(request: FastifyRequest, reply: FastifyReply, response: Response): void {
  // A handler that answered through fastifyHost(ctx).reply itself: nothing left to send.
  if (reply.sent) return;
  reply.code(response.status);
  const state = fastState(response);
  // As in node-response.ts: a helper's string or byte body is read from its state, so a Response that
  // middleware realized (to read or copy it) still sends the body it was made with.
  const fast = state?.body;
  const known =
    state !== undefined && (fast === null || typeof fast === 'string' || fast instanceof Uint8Array);
  // The Content-Length of a known body is Fastify's to count: a caller's value (ctx.respond) may disagree,
  // and Fastify keeps a given one on HEAD. node-response.ts does the same.
  const skip = known ? 'content-length' : '';
  const headers = state !== undefined && !(state.headers instanceof Headers) ? state.headers : undefined;
  if (headers !== undefined) {
    for (const name in headers) if (name !== skip) reply.header(name, headers[name] as string);
  } else {
    response.headers.forEach((value, name) => {
      if (name !== 'set-cookie' && name !== skip) reply.header(name, value);
    });
    const cookies = response.headers.getSetCookie();
    if (cookies.length > 0) reply.header('set-cookie', cookies);
  }
  if (unreadBody(request.raw)) reply.header('connection', 'close');
  const body = known ? (fast as string | Uint8Array | null) : response.body;
  if (body === null) {
    reply.send();
  } else if (typeof body === 'string') {
    // As bytes: a string with a JSON media type would get "; charset=utf-8" appended by Fastify.
    reply.send(Buffer.from(body));
  } else if (body instanceof Uint8Array) {
    reply.send(Buffer.from(body.buffer, body.byteOffset, body.byteLength));
  } else if (request.method === 'HEAD') {
    body.cancel().catch(() => {});
    reply.send();
  } else {
    reply.send(Readable.fromWeb(body as import('node:stream/web').ReadableStream<Uint8Array>));
  }
}

function readOptions<State extends object>(fastify: FastifyInstance, options: PlinthFastifyOptions<State>) {
  const dispatch: Dispatch = dispatcherOf(options?.app);
  let base = options.basePath ?? '';
  if (base !== '' && !base.startsWith('/')) {
    throw usageError('ERR_HTTP_INVALID_OPTIONS', `basePath ${JSON.stringify(base)} must start with "/".`);
  }
  if (base.endsWith('/')) base = base.slice(0, -1);
  const mode = options.methodNotAllowed ?? 'next';
  if (mode !== 'next' && mode !== 'answer') {
    throw usageError(
      'ERR_HTTP_INVALID_OPTIONS',
      `methodNotAllowed must be 'next' or 'answer', not ${JSON.stringify(mode)}.`,
    );
  }
  if (options.state !== undefined && typeof options.state !== 'function') {
    throw usageError('ERR_HTTP_INVALID_OPTIONS', 'state must be a function (request, reply) => object.');
  }
  const config = fastify.initialConfig as {
    ignoreDuplicateSlashes?: boolean;
    routerOptions?: { ignoreDuplicateSlashes?: boolean };
  };
  const collapse = config.routerOptions?.ignoreDuplicateSlashes ?? config.ignoreDuplicateSlashes ?? false;
  return { dispatch, base, mode, collapse, seed: options.state };
}

/**
 * The Fastify plugin.
 *
 * @example
 * await fastify.register(plinthFastify, { app, basePath: '/api' });
 */
export function plinthFastify<State extends object>(
  fastify: FastifyInstance,
  options: PlinthFastifyOptions<State>,
  done: (error?: Error) => void,
): void {
  let settings: ReturnType<typeof readOptions<State>>;
  try {
    // Fail at registration, not at the first request: a missing app or a bad option stops ready().
    settings = readOptions(fastify, options);
  } catch (error) {
    done(error as Error);
    return;
  }
  const { dispatch, base, mode, collapse, seed } = settings;
  const strip = fastify.prefix + base;
  const handler = (request: FastifyRequest, reply: FastifyReply) => {
    const raw: IncomingMessage & { routePath?: string } = request.raw;
    const source = new NodeRequestSource(raw, reply.raw, undefined, raw.url);
    (source as { target: string }).target = routedTarget(raw.url ?? '/', strip, collapse);
    const sink: ResponseSink = {
      send: (response) => {
        try {
          sendThroughReply(request, reply, response);
        } catch (error) {
          reply.send(error);
        }
      },
      fail: (error) => reply.send(error),
    };
    let result: ReturnType<Dispatch>;
    try {
      result = dispatch(
        source,
        {
          mode: mode === 'answer' ? 'next-unknown-path' : 'next',
          host: { kind: 'fastify', request, reply } satisfies FastifyHost,
          state: seed === undefined ? undefined : () => seed(request, reply),
          // SEAMS §C: the full pattern, register prefix and basePath included, for request logs.
          matched: (route: RouteInfo) => {
            raw.routePath = routePathUnder(strip, route.path);
          },
        },
        sink,
      );
    } catch (error) {
      reply.send(error);
      return;
    }
    // null: an asynchronous chain delivers to the sink itself.
    if (result === null) return;
    if (result === undefined) reply.callNotFound();
    else if (result instanceof Response) sink.send(result);
    else
      result.then(
        (response) => sink.send(response),
        (error: unknown) => sink.fail(error),
      );
  };
  // An encapsulated child: the content-type parsers below must not leak into the user's app.
  fastify.register((child, _options, next) => {
    // Leave every body unread, so ctx.body reads exactly the bytes the client sent, under Plinth's own
    // limits and rules (one answer for one mistake, whichever host).
    child.removeAllContentTypeParsers();
    child.addContentTypeParser('*', (_request, _payload, parsed) => parsed(null, undefined));
    child.route({ method: METHODS, url: `${base}/*`, handler, exposeHeadRoute: false });
    if (base !== '') child.route({ method: METHODS, url: base, handler, exposeHeadRoute: false });
    next();
  });
  done();
}

// The fastify-plugin convention without the dependency, set in this one place: skip encapsulation,
// name the plugin.
Object.assign(plinthFastify, {
  [Symbol.for('skip-override')]: true,
  [Symbol.for('fastify.display-name')]: '@plinth/http',
  [Symbol.for('plugin-meta')]: { name: '@plinth/http', fastify: '5.x' },
});
