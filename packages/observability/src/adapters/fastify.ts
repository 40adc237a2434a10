// Fastify 5 adapter: request logging and problem+json error handling as non-encapsulated plugins, and a
// `frameworkErrors` answer for the errors Fastify's router raises before any hook or handler runs.
import type { FastifyInstance, FastifyReply, FastifyRequest, FastifyServerOptions } from 'fastify';
import { defaultLogger } from '../context.js';
import { type ErrorHandlerOptions, reportError } from '../error-report.js';
import { fromFastifyError } from '../host-errors.js';
import { NotFoundError } from '../http-error.js';
import type { Logger } from '../logger.js';
import { type Problem, renderProblem, toProblem } from '../problem.js';
import { resolveRequestId } from '../request-id.js';
import {
  beginRequest,
  contextOf,
  keepContext,
  nodeHeader,
  pathOf,
  type RequestLoggerOptions,
  type RequestScope,
  resolveRequestLoggerOptions,
} from '../request-scope.js';

export type { ErrorHandlerOptions, RequestLoggerOptions };

/** Options of the Fastify {@link errorHandler} plugin. */
export interface FastifyErrorHandlerOptions extends ErrorHandlerOptions {
  /** Also answer unmatched routes with a 404 problem (`setNotFoundHandler`). Default `true`. */
  notFound?: boolean;
}

/** A Fastify plugin (callback style) that is not encapsulated, as with fastify-plugin. */
export type FastifyObservabilityPlugin = ((
  instance: FastifyInstance,
  options: Record<string, unknown>,
  done: (error?: Error) => void,
) => void) & { [key: symbol]: unknown };

// The one place this package sets Fastify's plugin markers (the fastify-plugin convention): what the
// plugin adds is visible to the app that registered it, and it has a name in Fastify's errors.
function unencapsulated(
  plugin: (instance: FastifyInstance) => void,
  name: string,
): FastifyObservabilityPlugin {
  const wrapped = ((
    instance: FastifyInstance,
    _options: Record<string, unknown>,
    done: (error?: Error) => void,
  ) => {
    plugin(instance);
    done();
  }) as FastifyObservabilityPlugin;
  wrapped[Symbol.for('skip-override')] = true;
  wrapped[Symbol.for('fastify.display-name')] = name;
  return wrapped;
}

/**
 * Fastify plugin: request id (echoed), server span, `getLogger()` context in hooks and async handlers,
 * and one line per request on response.
 * @example
 * await app.register(requestLogger({ logger }));
 */
export function requestLogger(options: RequestLoggerOptions = {}): FastifyObservabilityPlugin {
  const config = resolveRequestLoggerOptions(options);
  const scopes = new WeakMap<FastifyRequest, RequestScope>();
  // Insurance: @fastify/request-context documents that preValidation onward may run in the request stream's
  // async context rather than onRequest's, so we re-enter there. (On Node 20 + Fastify 5 the slow-chunked-body
  // test in test/fastify.test.ts passes with or without it.)
  const reenter = (request: FastifyRequest, _reply: FastifyReply, done: () => void) => {
    const scope = scopes.get(request);
    if (scope === undefined) return done();
    scope.run(done);
  };
  return unencapsulated((fastify) => {
    fastify.addHook('onRequest', (request, reply, done) => {
      const scope = beginRequest(
        {
          method: request.method,
          path: pathOf(request.url),
          header: (name) => nodeHeader(request.headers, name),
        },
        config,
      );
      scopes.set(request, scope);
      keepContext(request.raw, scope);
      reply.header(scope.requestIdHeader, scope.requestId);
      scope.run(done);
    });
    fastify.addHook('preValidation', reenter);
    fastify.addHook('onResponse', (request, reply, done) => {
      scopes.get(request)?.finish(reply.statusCode, routeOf(request));
      done();
    });
    fastify.addHook('onRequestAbort', (request, done) => {
      scopes.get(request)?.finish(499, routeOf(request), undefined, true);
      done();
    });
  }, '@plinth/observability/request-logger');
}

/**
 * Fastify plugin: sends every error (yours, Fastify's validation and body errors, unknown ones) as RFC 9457
 * problem+json with Plinth's codes (`VALIDATION_FAILED` 422, `MALFORMED_BODY` 400, `CONTENT_TOO_LARGE` 413,
 * `UNSUPPORTED_MEDIA_TYPE` 415), and unmatched routes as a 404 problem.
 * @example
 * await app.register(errorHandler());
 */
export function errorHandler(options: FastifyErrorHandlerOptions = {}): FastifyObservabilityPlugin {
  const fromHost = (error: unknown) => fromFastifyError(error, options);
  return unencapsulated((fastify) => {
    const send = (error: unknown, request: FastifyRequest, reply: FastifyReply) => {
      sendProblem(reply, reportError(error, pathOf(request.url), options, fromHost, contextOf(request.raw)));
    };
    fastify.setErrorHandler(send);
    if (options.notFound !== false) {
      fastify.setNotFoundHandler((request, reply) =>
        send(new NotFoundError(`No route for ${request.method} ${pathOf(request.url)}.`), request, reply),
      );
    }
  }, '@plinth/observability/error-handler');
}

/** The request as Fastify hands it to `frameworkErrors`: before routing, so no hook has run. */
interface FrameworkErrorRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Record<string, string | string[] | undefined>;
}

/** The part of the reply this package calls. */
interface ProblemReply {
  code(status: number): ProblemReply;
  headers(values: Record<string, string>): ProblemReply;
  send(payload: Buffer): unknown;
}

/** The type of Fastify's `frameworkErrors` option. */
export type FrameworkErrorsHandler = NonNullable<FastifyServerOptions['frameworkErrors']>;

/** Options of {@link frameworkErrors}. */
export interface FrameworkErrorsOptions {
  /** Logger for the one line of each refused request; default the one set by `setDefaultLogger`, else `createLogger()`. */
  logger?: Logger;
  /** Header read (a valid incoming id is kept) and echoed for the request id, as `requestLogger`'s. Default `x-request-id`. */
  requestIdHeader?: string;
}

/** {@link frameworkErrors}: the handler itself, or called with options, a handler with those options. */
export type FrameworkErrors = FrameworkErrorsHandler &
  ((options: FrameworkErrorsOptions) => FrameworkErrorsHandler);

interface FrameworkErrorsConfig {
  logger: Logger | undefined;
  requestIdHeader: string;
}

const frameworkDefaults: FrameworkErrorsConfig = { logger: undefined, requestIdHeader: 'x-request-id' };

/**
 * Pass to `Fastify({ frameworkErrors })`: the errors Fastify's router raises before any hook runs (a bad
 * percent-escape `FST_ERR_BAD_URL` → 400 `MALFORMED_URL`, `FST_ERR_MAX_PARAM_LENGTH` → 414, a failing
 * async constraint → 500) answer problem+json with an `X-Request-Id` (the valid incoming one, else new)
 * instead of Fastify's plain JSON, and write one log line with the default logger (`setDefaultLogger`).
 * Called with options first, it logs with your logger and reads and echoes your request-id header.
 * @example
 * const app = Fastify({ frameworkErrors });
 * const app = Fastify({ frameworkErrors: frameworkErrors({ logger, requestIdHeader: 'x-correlation-id' }) });
 */
export const frameworkErrors = ((first: unknown, request?: unknown, reply?: unknown) => {
  // Fastify calls the handler with the error it raised; anything else is the options.
  if (first instanceof Error) {
    answerFrameworkError(first, request as FrameworkErrorRequest, reply as ProblemReply, frameworkDefaults);
    return undefined;
  }
  const options = (first ?? {}) as FrameworkErrorsOptions;
  // The same header rules as requestLogger's (the logger option is taken as it is).
  const { requestIdHeader } = resolveRequestLoggerOptions({
    ...(options.requestIdHeader === undefined ? {} : { requestIdHeader: options.requestIdHeader }),
  });
  const config: FrameworkErrorsConfig = { logger: options.logger, requestIdHeader };
  const handler: FrameworkErrorsHandler = (error, req, res) => {
    answerFrameworkError(error, req, res as unknown as ProblemReply, config);
  };
  return handler;
}) as FrameworkErrors;

function answerFrameworkError(
  error: Error,
  request: FrameworkErrorRequest,
  reply: ProblemReply,
  config: FrameworkErrorsConfig,
): void {
  const requestId = resolveRequestId(nodeHeader(request.headers, config.requestIdHeader));
  const path = pathOf(request.url);
  const problem = toProblem(fromFastifyError(error), { instance: path, requestId });
  const fields = { requestId, method: request.method, path, status: problem.status, err: error };
  const logger = config.logger ?? defaultLogger();
  if (problem.status >= 500) logger.error(fields, 'request failed before routing');
  else logger.warn(fields, 'request rejected before routing');
  sendProblem(reply, problem, { [config.requestIdHeader]: requestId });
}

function sendProblem(
  reply: Pick<ProblemReply, 'code'>,
  problem: Problem,
  extra?: Record<string, string>,
): void {
  const { payload, headers } = renderProblem(problem);
  // A Buffer body: Fastify appends "; charset=utf-8" to a JSON content type sent with a string or an
  // object (lib/reply.js), and leaves a Buffer's content type exactly as it is.
  reply
    .code(problem.status)
    .headers(extra === undefined ? headers : { ...headers, ...extra })
    .send(Buffer.from(payload));
}

// SEAMS §C: a mounted @plinth/http app sets request.raw.routePath (its full pattern, prefix included)
// when one of its routes matched; otherwise Fastify's own route pattern.
function routeOf(request: FastifyRequest): string | undefined {
  const routePath = (request.raw as { routePath?: unknown }).routePath;
  return typeof routePath === 'string' ? routePath : request.routeOptions.url;
}
