// The server span of a request, and the light built-in span used when no OpenTelemetry SDK is registered.

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

/** Who a span is: its ids, its parent and its sampling decision. */
export interface SpanIdentity {
  traceId: string;
  spanId: string;
  parentSpanId: string | undefined;
  sampled: boolean;
  traceState: string | undefined;
}

/** Identity and timing shared by the built-in and the OpenTelemetry span. */
export abstract class TimedSpan {
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId: string | undefined;
  readonly sampled: boolean;
  readonly traceState: string | undefined;
  durationMs: number | undefined = undefined;
  private readonly started = performance.now();

  constructor(identity: SpanIdentity) {
    this.traceId = identity.traceId;
    this.spanId = identity.spanId;
    this.parentSpanId = identity.parentSpanId;
    this.sampled = identity.sampled;
    this.traceState = identity.traceState;
  }

  /** When the span started, in ms since the epoch (derived from the monotonic start, no Date.now per request). */
  get startTime(): number {
    return performance.timeOrigin + this.started;
  }

  /** Records the duration; `false` when the span had already ended. */
  protected stop(): boolean {
    if (this.durationMs !== undefined) return false;
    this.durationMs = performance.now() - this.started;
    return true;
  }
}

/** A span that records timings and attributes in memory, used when no OpenTelemetry SDK is registered. */
export class BuiltinSpan extends TimedSpan implements ServerSpan {
  readonly kind = 'builtin';
  error: unknown = undefined;
  // bench "request logging": plain fields instead of an attributes map filled on every request; the map
  // is built only when someone reads it.
  private custom: Record<string, SpanAttributeValue> | undefined = undefined;
  private status: number | undefined = undefined;
  private route: string | undefined = undefined;

  /** The attributes set so far, with `http.response.status_code` and `http.route` once ended. */
  get attributes(): Record<string, SpanAttributeValue> {
    const attributes: Record<string, SpanAttributeValue> = { ...this.custom };
    if (this.status !== undefined) attributes['http.response.status_code'] = this.status;
    if (this.route !== undefined) attributes['http.route'] = this.route;
    return attributes;
  }

  setAttribute(key: string, value: SpanAttributeValue): void {
    this.custom ??= {};
    this.custom[key] = value;
  }

  recordError(error: unknown): void {
    this.error = error;
  }

  run<T>(fn: () => T): T {
    return fn();
  }

  end(status: number, route?: string): void {
    if (!this.stop()) return;
    this.status = status;
    this.route = route;
  }
}
