// Outgoing propagation: the current request's trace context as `traceparent`/`tracestate` headers.
import { getRequestContext } from './context.js';
import { formatTraceparent } from './trace-context.js';

/** The headers that carry the current trace to a downstream call. */
export interface TraceHeaders {
  traceparent?: string;
  tracestate?: string;
}

/**
 * The current request's trace context as headers (empty outside a traced request): the downstream
 * call's parent is this request's server span.
 * @example
 * await fetch(url, { headers: { ...traceHeaders(), accept: 'application/json' } });
 */
export function traceHeaders(): TraceHeaders {
  const span = getRequestContext()?.span;
  if (span === undefined) return {};
  const headers: TraceHeaders = { traceparent: formatTraceparent(span.traceId, span.spanId, span.sampled) };
  if (span.traceState !== undefined) headers.tracestate = span.traceState;
  return headers;
}

/** Sets `traceparent` (and `tracestate`) on `headers` from the current request; returns the same object. */
export function injectTraceContext<T extends Headers | Record<string, string>>(headers: T): T {
  const trace = traceHeaders();
  for (const [name, value] of Object.entries(trace)) {
    if (headers instanceof Headers) headers.set(name, value);
    else (headers as Record<string, string>)[name] = value;
  }
  return headers;
}
