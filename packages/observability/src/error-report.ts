// The framework-free core of the error handlers: log the full error, hand back the problem to send.
import { defaultLogger, getRequestContext, type RequestContext } from './context.js';
import type { Logger } from './logger.js';
import { type Problem, type ToHttpErrorOptions, toProblem } from './problem.js';

/** Options of the error-handling middleware (fetch, Express and Fastify alike). */
export interface ErrorHandlerOptions extends ToHttpErrorOptions {
  /** Logger used outside a request context; inside one, the request's child logger is used. */
  logger?: Logger;
  /** Base URI for problem `type`s (`https://errors.example.com/` → `.../not-found`); default `about:blank`. */
  typeBase?: string;
}

/**
 * Turns anything thrown during a request into the problem to send, and logs it: 5xx at `error` with
 * the full error (the client sees none of it), 4xx at `debug` (the request line already says `warn`).
 * `context` is the request's (ids and child logger), by default the AsyncLocalStorage one.
 */
export function reportError(
  error: unknown,
  instance: string,
  options: ErrorHandlerOptions,
  fromHost: (error: unknown) => unknown = sameError,
  context: RequestContext | undefined = getRequestContext(),
): Problem {
  const problem = toProblem(fromHost(error), {
    instance,
    ...(options.validationStatus === undefined ? {} : { validationStatus: options.validationStatus }),
    ...(options.typeBase === undefined ? {} : { typeBase: options.typeBase }),
    ...(context?.span === undefined ? {} : { traceId: context.span.traceId }),
    ...(context === undefined ? {} : { requestId: context.requestId }),
  });
  const log = context?.log ?? options.logger ?? defaultLogger();
  const fields = { err: error, status: problem.status, code: problem.body.code };
  if (problem.status >= 500) {
    context?.span?.recordError(error);
    log.error(fields, 'request failed with an error');
  } else {
    log.debug(fields, 'request rejected');
  }
  return problem;
}

function sameError(error: unknown): unknown {
  return error;
}
