// The OpenTelemetry bridge: loaded lazily, used only when `@opentelemetry/api` is installed and an SDK registered.
import type * as Api from '@opentelemetry/api';
import { loadOptional } from './optional-module.js';
import { type ServerSpan, type SpanAttributeValue, type SpanIdentity, TimedSpan } from './span.js';
import type { TraceParent } from './trace-context.js';

const TRACER_NAME = '@plinth/observability';
let api: typeof Api | null | undefined;

function otelApi(): typeof Api | null {
  if (api === undefined) api = loadOptional<typeof Api>('@opentelemetry/api') ?? null;
  return api;
}

// bench "request logging": with the API installed but no SDK registered, answer before building a
// context and a no-op span. The global provider is always the API's ProxyTracerProvider; it has a
// delegate tracer only once an SDK registered one (checked per request: an SDK may register after us).
function sdkRegistered(otel: typeof Api): boolean {
  const provider = otel.trace.getTracerProvider();
  return (
    !(provider instanceof otel.ProxyTracerProvider) || provider.getDelegateTracer(TRACER_NAME) !== undefined
  );
}

/** A server span recorded by the registered OpenTelemetry SDK. */
class OtelSpan extends TimedSpan implements ServerSpan {
  readonly kind = 'otel';

  constructor(
    private readonly otel: typeof Api,
    private readonly span: Api.Span,
    private readonly method: string,
    identity: SpanIdentity,
  ) {
    super(identity);
  }

  setAttribute(key: string, value: SpanAttributeValue): void {
    this.span.setAttribute(key, value);
  }

  recordError(error: unknown): void {
    if (error instanceof Error) this.span.recordException(error);
    else this.span.recordException({ message: String(error) });
    this.span.setStatus({ code: this.otel.SpanStatusCode.ERROR });
  }

  run<T>(fn: () => T): T {
    const { context, trace } = this.otel;
    return context.with(trace.setSpan(context.active(), this.span), fn);
  }

  end(status: number, route?: string): void {
    if (!this.stop()) return;
    this.span.setAttribute('http.response.status_code', status);
    if (route !== undefined) {
      // OTel HTTP semantic conventions: server span name is "{method} {http.route}".
      this.span.setAttribute('http.route', route);
      this.span.updateName(`${this.method} ${route}`);
    }
    // Server spans are failed only for 5xx; a 4xx is the client's error.
    if (status >= 500) this.span.setStatus({ code: this.otel.SpanStatusCode.ERROR });
    this.span.end();
  }
}

/**
 * Starts a SERVER span through the global OpenTelemetry tracer, parented to the incoming traceparent.
 * Returns `undefined` when the API is not installed or no SDK is registered (the no-op tracer answers with
 * the parent's or an invalid span context, never a new span id).
 */
export function startOtelSpan(
  method: string,
  path: string,
  parent: TraceParent | undefined,
  traceState: string | undefined,
): ServerSpan | undefined {
  const otel = otelApi();
  if (otel === null || !sdkRegistered(otel)) return undefined;
  let parentContext = otel.ROOT_CONTEXT;
  if (parent !== undefined) {
    const spanContext: Api.SpanContext = {
      traceId: parent.traceId,
      spanId: parent.parentId,
      traceFlags: parent.traceFlags & 1,
      isRemote: true,
    };
    if (traceState !== undefined) spanContext.traceState = otel.createTraceState(traceState);
    parentContext = otel.trace.setSpanContext(parentContext, spanContext);
  }
  // Not cached: after trace.disable() and a new registration, an old ProxyTracer would still point at
  // the old provider. SDKs cache tracers by name, so this is a lookup.
  const span = otel.trace.getTracer(TRACER_NAME).startSpan(
    method,
    {
      kind: otel.SpanKind.SERVER,
      attributes: { 'http.request.method': method, 'url.path': path },
    },
    parentContext,
  );
  const spanContext = span.spanContext();
  if (!otel.isSpanContextValid(spanContext) || spanContext.spanId === parent?.parentId) {
    span.end();
    return undefined;
  }
  return new OtelSpan(otel, span, method, {
    traceId: spanContext.traceId,
    spanId: spanContext.spanId,
    parentSpanId: parent?.parentId,
    sampled: (spanContext.traceFlags & 1) === 1,
    traceState,
  });
}
