// @plinth/observability: errors as RFC 9457 problem+json, pino logging with deep redaction, request ids,
// request context and W3C trace context. Adapters for Express and Fastify live at ./express and ./fastify.
export { errorHandler, requestLogger } from './adapters/fetch.js';
export { getLogger, getRequestContext, type RequestContext, setDefaultLogger } from './context.js';
export { createLogger, type LoggerOptions } from './create-logger.js';
export type { ErrorHandlerOptions } from './error-report.js';
export { ObservabilityError, type ObservabilityErrorCode } from './errors.js';
export {
  BadRequestError,
  ConflictError,
  type FieldError,
  ForbiddenError,
  HttpError,
  type HttpErrorOptions,
  isHttpError,
  NotFoundError,
  type RetryableErrorOptions,
  ServiceUnavailableError,
  TooManyRequestsError,
  UnauthorizedError,
  type UnauthorizedErrorOptions,
  ValidationError,
} from './http-error.js';
export type { LogFn, Logger } from './logger.js';
export {
  type FetchHandler,
  type Middleware,
  type MiddlewareContext,
  wrapHandler,
} from './middleware-context.js';
export {
  PROBLEM_CONTENT_TYPE,
  type Problem,
  type ProblemDetails,
  type ProblemOptions,
  problemResponse,
  toProblem,
} from './problem.js';
export { installProcessHandlers, type ProcessHandlerOptions } from './process-handlers.js';
export { injectTraceContext, type TraceHeaders, traceHeaders } from './propagation.js';
export { createRedactor, type RedactOptions, type Redactor } from './redact.js';
export type { RequestLoggerOptions } from './request-scope.js';
export type { ServerSpan, SpanAttributeValue } from './span.js';
