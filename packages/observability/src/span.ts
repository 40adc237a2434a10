// The server span of a request: OpenTelemetry's when an SDK is registered, else a light built-in one.
import { startOtelSpan } from './otel.js';
import { parseTraceparent, parseTracestate, randomSpanId, randomTraceId } from './trace-context.js';

/** An attribute value, as OpenTelemetry allows. */
export type SpanAttributeValue = string | number | boolean;

/** The span that covers one request on this server. */
export interface ServerSpan {
  /** 32 hex digits; the caller's when a valid `traceparent` came in. */
  readonly traceId: string;
  /** 16 hex digits, new for this request. */
  readonly spanId: string;
  /** The caller's span id, from `traceparent`. */
  readonly parentSpanId: string | undefined;
  /** Whether the trace is sampled; kept from the caller, `true` for a new trace. */
  readonly sampled: boolean;
  /** The caller's `tracestate`, validated. */
  readonly traceState: string | undefined;
  /** `otel` when an OpenTelemetry SDK records this span, else `builtin`. */
  readonly kind: 'otel' | 'builtin';
  /** When the span started, in ms since the epoch. */
  readonly startTime: number;
  /** How long the request took, once ended. */
  readonly durationMs: number | undefined;
  /** Sets an attribute (OpenTelemetry semantic-convention names, e.g. `http.route`). */
  setAttribute(key: string, value: SpanAttributeValue): void;
  /** Records an error on the span and marks it failed. */
  recordError(error: unknown): void;
  /** Runs `fn` with this span as OpenTelemetry's active span, so nested instrumentation parents to it. */
  run<T>(fn: () => T): T;
  /** Ends the span with the response status and the matched route pattern; later calls do nothing. */
  end(status: number, route?: string): void;
}

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

/** A span that records timings and attributes in memory, used when no OpenTelemetry SDK is registered. */
class BuiltinSpan implements ServerSpan {
  readonly kind = 'builtin';
  readonly startTime = Date.now();
  durationMs: number | undefined = undefined;
  readonly attributes: Record<string, SpanAttributeValue> = {};
  error: unknown = undefined;
  private readonly started = performance.now();

  constructor(
    readonly traceId: string,
    readonly spanId: string,
    readonly parentSpanId: string | undefined,
    readonly sampled: boolean,
    readonly traceState: string | undefined,
  ) {}

  setAttribute(key: string, value: SpanAttributeValue): void {
    this.attributes[key] = value;
  }

  recordError(error: unknown): void {
    this.error = error;
  }

  run<T>(fn: () => T): T {
    return fn();
  }

  end(status: number, route?: string): void {
    if (this.durationMs !== undefined) return;
    this.durationMs = performance.now() - this.started;
    this.attributes['http.response.status_code'] = status;
    if (route !== undefined) this.attributes['http.route'] = route;
  }
}

/**
 * Starts the server span of a request: parent and sampled flag from a valid `traceparent`, a new
 * span id, recorded by OpenTelemetry when an SDK is registered.
 * @example
 * const span = startServerSpan({ method: 'GET', path: '/orders', traceparent: request.headers.get('traceparent') });
 * span.end(200, '/orders');
 */
export function startServerSpan(options: StartSpanOptions): ServerSpan {
  const parent = parseTraceparent(options.traceparent);
  // §3.3: tracestate is only meaningful together with a valid traceparent.
  const traceState = parent === undefined ? undefined : parseTracestate(options.tracestate);
  if (options.otel !== false) {
    const span = startOtelSpan(options.method, options.path, parent, traceState);
    if (span !== undefined) return span;
  }
  return new BuiltinSpan(
    parent?.traceId ?? randomTraceId(),
    randomSpanId(),
    parent?.parentId,
    parent?.sampled ?? true,
    traceState,
  );
}
