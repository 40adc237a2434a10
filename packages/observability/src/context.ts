// Per-request context on AsyncLocalStorage: `getLogger()` anywhere inside a request returns its child logger.
import { AsyncLocalStorage } from 'node:async_hooks';
import { createLogger } from './create-logger.js';
import type { Logger } from './logger.js';
import type { ServerSpan } from './span.js';

/** What is known about the request being served, wherever you are in its async call tree. */
export interface RequestContext {
  /** The request id (incoming `X-Request-Id` when valid, else generated). */
  readonly requestId: string;
  /** The server span of this request, with its trace id and span id. */
  readonly span: ServerSpan | undefined;
  /** A child logger carrying `requestId`, `traceId` and `spanId`; created on first use. */
  readonly log: Logger;
}

// One store per process, even when the ESM and the CJS build of this package are both loaded.
const storageKey = Symbol.for('@plinth/observability.context');
const globals = globalThis as { [storageKey]?: AsyncLocalStorage<RequestContext> };
globals[storageKey] ??= new AsyncLocalStorage<RequestContext>();
const storage = globals[storageKey];

let fallback: Logger | undefined;

/** The context of the request being served, or `undefined` outside any request. */
export function getRequestContext(): RequestContext | undefined {
  return storage.getStore();
}

/** Runs `fn` with `context` as the current request context, across every await inside it. */
export function runWithContext<T>(context: RequestContext, fn: () => T): T {
  return storage.run(context, fn);
}

/**
 * The logger for where you are: the request's child logger inside a request, else the default logger.
 * @example
 * getLogger().info({ orderId }, 'order placed'); // carries requestId, traceId, spanId
 */
export function getLogger(): Logger {
  const context = storage.getStore();
  return context === undefined ? defaultLogger() : context.log;
}

/** Sets the logger `getLogger()` returns outside requests (and the middleware default); returns the previous one. */
export function setDefaultLogger(logger: Logger): Logger | undefined {
  const previous = fallback;
  fallback = logger;
  return previous;
}

/** The logger middleware use when none is passed: the one set with {@link setDefaultLogger}, else a new `createLogger()`. */
export function defaultLogger(): Logger {
  fallback ??= createLogger();
  return fallback;
}
