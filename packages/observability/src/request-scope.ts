// The framework-free core of request logging: request id, server span, context, and one line per request.
import { defaultLogger, getRequestContext, type RequestContext, runWithContext } from './context.js';
import { assertOption } from './errors.js';
import type { Logger } from './logger.js';
import { resolveRequestId } from './request-id.js';
import { writeRequestLine } from './request-line.js';
import type { ServerSpan } from './span.js';
import { startSpan } from './start-span.js';

/** Options of the request-logging middleware (fetch, Express and Fastify alike). */
export interface RequestLoggerOptions {
  /** Logger to write with; default the one set by `setDefaultLogger`, else `createLogger()`. */
  logger?: Logger;
  /** Header read and echoed for the request id. Default `x-request-id`. */
  requestIdHeader?: string;
  /** Accept a valid incoming request id; `false` always generates one. Default `true`. */
  trustRequestId?: boolean;
  /** Makes a new request id. Default `crypto.randomUUID`. */
  generateRequestId?: () => string;
  /** Paths whose line is not written (their id, span and context still are). Default `['/livez', '/readyz', '/startupz', '/healthz']`. */
  skip?: readonly string[] | ((path: string) => boolean);
  /** Start a server span per request from `traceparent`. Default `true`. */
  tracing?: boolean;
  /** Record spans through OpenTelemetry when `@opentelemetry/api` is installed and an SDK registered. Default `true`. */
  otel?: boolean;
  /**
   * Run the rest of the request inside an AsyncLocalStorage context, so `getLogger()`, `getRequestContext()`
   * and `traceHeaders()` see the request anywhere below. `false` saves what that context costs on Node 20/22
   * (async_hooks on every promise and async resource of the process) when nothing reads it: the request id,
   * the line, the echoed header and the error handlers' problems stay the same. Default `true`.
   */
  context?: boolean;
}

/**
 * The request as the core needs it: the fetch middleware context satisfies it as it is, and the Express
 * and Fastify adapters translate their request into it.
 */
export interface IncomingRequest {
  readonly method: string;
  /** URL path without the query string (queries can hold secrets and are not logged). */
  readonly path: string;
  /** A request header by lower-case name. */
  header(name: string): string | null | undefined;
}

/** One request being observed. */
export interface RequestScope {
  readonly requestId: string;
  readonly span: ServerSpan | undefined;
  readonly context: RequestContext;
  /** Header name to echo `requestId` in. */
  readonly requestIdHeader: string;
  /** Runs `fn` inside the request: its AsyncLocalStorage context and, with OpenTelemetry, its active span. */
  run<T>(fn: () => T): T;
  /**
   * Ends the span and writes the request's one log line; later calls do nothing. `route` is the matched
   * pattern, `error` one that escaped every handler, `aborted` that the client left first.
   */
  finish(status: number, route?: string, error?: unknown, aborted?: boolean): void;
}

/** Options resolved and validated once, when the middleware is created. */
export interface RequestLoggerConfig {
  logger: Logger | undefined;
  requestIdHeader: string;
  trustRequestId: boolean;
  generateRequestId: (() => string) | undefined;
  skip: (path: string) => boolean;
  tracing: boolean;
  otel: boolean;
  context: boolean;
}

// SEAMS §E: the probes @plinth/deploy serves (and Kubernetes' names for them) write no line.
const defaultSkip = ['/livez', '/readyz', '/startupz', '/healthz'];

/** Validates request-logger options (fail at start, not at the first request). */
export function resolveRequestLoggerOptions(options: RequestLoggerOptions = {}): RequestLoggerConfig {
  const header = options.requestIdHeader ?? 'x-request-id';
  assertOption(
    /^[a-z0-9!#$%&'*+.^_`|~-]+$/i.test(header),
    `requestIdHeader "${header}" is not a valid header name; use a token such as "x-request-id".`,
  );
  const skip = options.skip ?? defaultSkip;
  assertOption(
    typeof skip === 'function' || (Array.isArray(skip) && skip.every((path) => typeof path === 'string')),
    'skip must be an array of paths (e.g. ["/livez", "/readyz"]) or a function (path) => boolean.',
  );
  let skipPath: (path: string) => boolean;
  if (typeof skip === 'function') {
    skipPath = skip;
  } else {
    const paths = new Set(skip);
    skipPath = (path) => paths.has(path);
  }
  return {
    logger: options.logger,
    requestIdHeader: header.toLowerCase(),
    trustRequestId: options.trustRequestId ?? true,
    generateRequestId: options.generateRequestId,
    skip: skipPath,
    tracing: options.tracing ?? true,
    otel: options.otel ?? true,
    context: options.context ?? true,
  };
}

// A class rather than closures, measured in bench "request logging": AsyncLocalStorage hands the context to
// every async resource the request creates, and a getter closure would have kept the whole call frame alive
// with it (the request, its header reader, the config), so young-generation GC grew several-fold. One object
// is both the scope and the context AsyncLocalStorage holds: its internals are private fields, so what
// getRequestContext() shows is the id, the span and the logger.

/** One request being observed; also its {@link RequestContext}. */
class LiveScope implements RequestScope, RequestContext {
  readonly requestId: string;
  readonly span: ServerSpan | undefined;
  readonly #method: string;
  readonly #path: string;
  readonly #logger: Logger;
  readonly #config: RequestLoggerConfig;
  readonly #started: number;
  #child: Logger | undefined = undefined;
  #finished = false;

  constructor(
    requestId: string,
    span: ServerSpan | undefined,
    method: string,
    path: string,
    logger: Logger,
    config: RequestLoggerConfig,
  ) {
    this.requestId = requestId;
    this.span = span;
    this.#method = method;
    this.#path = path;
    this.#logger = logger;
    this.#config = config;
    // bench "request logging": with a span its own clock gives the duration; one performance.now() less.
    this.#started = span === undefined ? performance.now() : 0;
  }

  get context(): RequestContext {
    return this;
  }

  // bench "request logging": most handlers never log, so the child logger is made on first use.
  get log(): Logger {
    const span = this.span;
    this.#child ??= this.#logger.child(
      span === undefined
        ? { requestId: this.requestId }
        : { requestId: this.requestId, traceId: span.traceId, spanId: span.spanId },
    );
    return this.#child;
  }

  get requestIdHeader(): string {
    return this.#config.requestIdHeader;
  }

  run<T>(fn: () => T): T {
    const span = this.span;
    // Only an OpenTelemetry span needs entering; the built-in one would just call fn (bench "request logging").
    const inner = span === undefined || span.kind === 'builtin' ? fn : () => span.run(fn);
    // `context: false`: no AsyncLocalStorage.run, so its async hooks are never enabled (profile of
    // apps/reference's composed stack on Node 20: ~5% of the process in promise and resource init hooks).
    return this.#config.context ? runWithContext(this, inner) : inner();
  }

  // Positional arguments, not an outcome object: one allocation less per request (bench "request logging").
  finish(status: number, route?: string, error?: unknown, aborted = false): void {
    if (this.#finished) return;
    this.#finished = true;
    const span = this.span;
    span?.end(status, route);
    if (this.#config.skip(this.#path)) return;
    const durationMs = Math.round((span?.durationMs ?? performance.now() - this.#started) * 100) / 100;
    const level = aborted ? 'warn' : status >= 500 ? 'error' : status >= 400 ? 'warn' : 'info';
    const message = aborted ? 'request aborted' : status >= 500 ? 'request failed' : 'request completed';
    const logger = this.#logger;
    // A line without an error, to a logger createLogger made, is written as a string (request-line.ts).
    if (
      error === undefined &&
      writeRequestLine(
        logger,
        level,
        message,
        this.requestId,
        span?.traceId,
        span?.spanId,
        this.#method,
        route,
        this.#path,
        status,
        durationMs,
        aborted,
      )
    ) {
      return;
    }
    const line: Record<string, unknown> = {
      requestId: this.requestId,
      traceId: span?.traceId,
      spanId: span?.spanId,
      method: this.#method,
      route,
      path: this.#path,
      status,
      durationMs,
    };
    if (error !== undefined) line.err = error;
    if (aborted) line.aborted = true;
    logger[level](line, message);
  }
}

/** Starts observing a request: resolves its id, starts its span, and builds its context. */
export function beginRequest(request: IncomingRequest, config: RequestLoggerConfig): RequestScope {
  const requestId = resolveRequestId(
    config.trustRequestId ? request.header(config.requestIdHeader) : undefined,
    config.generateRequestId,
  );
  const span = config.tracing
    ? startSpan(
        request.method,
        request.path,
        request.header('traceparent'),
        request.header('tracestate'),
        config.otel,
      )
    : undefined;
  return new LiveScope(
    requestId,
    span,
    request.method,
    request.path,
    config.logger ?? defaultLogger(),
    config,
  );
}

// The request's context kept on an object of the host's request (the fetch context's state, Express's req,
// Fastify's raw request), so the error handlers find it without AsyncLocalStorage: with `context: false`
// there is none, and a property read is cheaper than getStore() anyway. Symbol.for: the ESM and the CJS
// build of this package share it.
const scopeKey = Symbol.for('@plinth/observability.scope');

/** Internal: keeps `scope` on `holder` for {@link contextOf}. */
export function keepContext(holder: object, scope: RequestScope): void {
  (holder as { [scopeKey]?: RequestContext })[scopeKey] = scope.context;
}

/** Internal: the request context kept on `holder`, else the AsyncLocalStorage one. */
export function contextOf(holder: object | undefined): RequestContext | undefined {
  return (holder as { [scopeKey]?: RequestContext } | undefined)?.[scopeKey] ?? getRequestContext();
}

/** The path of a URL string without query or fragment, without parsing the whole URL. */
export function pathOf(url: string): string {
  const scheme = url.indexOf('://');
  const start = scheme === -1 ? 0 : url.indexOf('/', scheme + 3);
  if (start === -1) return '/';
  let end = url.length;
  const query = url.indexOf('?', start);
  if (query !== -1) end = query;
  const hash = url.indexOf('#', start);
  if (hash !== -1 && hash < end) end = hash;
  return url.slice(start, end) || '/';
}

/** A header from Node's `IncomingHttpHeaders` as one string (repeated headers joined as HTTP folds them). */
export function nodeHeader(
  headers: Record<string, string | string[] | undefined>,
  name: string,
): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}
