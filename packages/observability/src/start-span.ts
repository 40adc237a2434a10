// startServerSpan: parent from traceparent, a new span id, OpenTelemetry when an SDK is registered.
import { startOtelSpan } from './otel.js';
import { BuiltinSpan, type ServerSpan } from './span.js';
import { parseTraceparent, parseTracestate, randomSpanId, randomTraceAndSpanIds } from './trace-context.js';

/** Options of {@link startServerSpan}. */
export interface StartSpanOptions {
  /** HTTP method. */
  method: string;
  /** URL path, without the query string. */
  path: string;
  /** The incoming `traceparent` header. */
  traceparent?: string | null | undefined;
  /** The incoming `tracestate` header. */
  tracestate?: string | null | undefined;
  /** Use OpenTelemetry when `@opentelemetry/api` is installed and an SDK registered. Default `true`. */
  otel?: boolean;
}

/**
 * Starts the server span of a request: parent and sampled flag from a valid `traceparent`, a new
 * span id, recorded by OpenTelemetry when an SDK is registered.
 * @example
 * const span = startServerSpan({ method: 'GET', path: '/orders', traceparent: request.headers.get('traceparent') });
 * span.end(200, '/orders');
 */
export function startServerSpan(options: StartSpanOptions): ServerSpan {
  return startSpan(
    options.method,
    options.path,
    options.traceparent,
    options.tracestate,
    options.otel !== false,
  );
}

/** Internal: {@link startServerSpan} with positional arguments (no options object per request). */
export function startSpan(
  method: string,
  path: string,
  traceparent: string | null | undefined,
  tracestate: string | null | undefined,
  otel: boolean,
): ServerSpan {
  const parent = parseTraceparent(traceparent);
  // §3.3: tracestate is only meaningful together with a valid traceparent.
  const traceState = parent === undefined ? undefined : parseTracestate(tracestate);
  if (otel) {
    const span = startOtelSpan(method, path, parent, traceState);
    if (span !== undefined) return span;
  }
  const [traceId, spanId] = parent === undefined ? randomTraceAndSpanIds() : [parent.traceId, randomSpanId()];
  return new BuiltinSpan({
    traceId,
    spanId,
    parentSpanId: parent?.parentId,
    sampled: parent?.sampled ?? true,
    traceState,
  });
}
