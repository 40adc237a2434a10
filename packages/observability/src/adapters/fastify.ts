// Fastify 5 adapter: request logging and problem+json error handling as non-encapsulated plugins.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type ErrorHandlerOptions, reportError } from '../error-report.js';
import { NotFoundError } from '../http-error.js';
import {
  beginRequest,
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
  // The fastify-plugin convention: what this plugin adds is visible to the app that registered it.
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
      reply.header(scope.requestIdHeader, scope.requestId);
      scope.run(done);
    });
    fastify.addHook('preValidation', reenter);
    fastify.addHook('onResponse', (request, reply, done) => {
      scopes.get(request)?.finish(reply.statusCode, { route: request.routeOptions.url });
      done();
    });
    fastify.addHook('onRequestAbort', (request, done) => {
      scopes.get(request)?.finish(499, { route: request.routeOptions.url, aborted: true });
      done();
    });
  }, '@plinth/observability/request-logger');
}

/**
 * Fastify plugin: sends every error (yours, Fastify's validation and body errors, unknown ones) as RFC 9457
 * problem+json, and unmatched routes as a 404 problem.
 * @example
 * await app.register(errorHandler());
 */
export function errorHandler(options: FastifyErrorHandlerOptions = {}): FastifyObservabilityPlugin {
  return unencapsulated((fastify) => {
    const send = (error: unknown, request: FastifyRequest, reply: FastifyReply) => {
      const problem = reportError(error, pathOf(request.url), options);
      // A string body: Fastify serializes objects only for JSON content types it recognises.
      reply.status(problem.status).headers(problem.headers).send(JSON.stringify(problem.body));
    };
    fastify.setErrorHandler(send);
    if (options.notFound !== false) {
      fastify.setNotFoundHandler((request, reply) =>
        send(new NotFoundError(`No route for ${request.method} ${pathOf(request.url)}.`), request, reply),
      );
    }
  }, '@plinth/observability/error-handler');
}
