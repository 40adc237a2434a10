import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { errorHandler, requestLogger, startServerSpan, traceHeaders } from '../src/index.js';
import { compose } from './compose.js';
import { captureLogger } from './log-capture.js';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT = '00f067aa0ba902b7';
const exporter = new InMemorySpanExporter();

beforeAll(() => {
  trace.setGlobalTracerProvider(
    new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }),
  );
});

afterEach(() => exporter.reset());

afterAll(() => {
  trace.disable();
});

function app(handler: Parameters<typeof compose>[1]) {
  const capture = captureLogger();
  return { run: compose([requestLogger({ logger: capture.logger }), errorHandler()], handler), ...capture };
}

describe('with @opentelemetry/api and an SDK registered', () => {
  it('records a SERVER span parented to the incoming traceparent, named after the route', async () => {
    let outgoing = '';
    const { run, lines } = app(() => {
      outgoing = traceHeaders().traceparent ?? '';
      return new Response('ok');
    });
    await run(
      new Request('http://x.test/orders/5', {
        headers: { traceparent: `00-${TRACE}-${PARENT}-01`, tracestate: 'vendor=v1' },
      }),
      '/orders/:id',
    );
    const [span] = exporter.getFinishedSpans();
    expect(span).toBeDefined();
    expect(span?.kind).toBe(SpanKind.SERVER);
    expect(span?.name).toBe('GET /orders/:id');
    expect(span?.spanContext().traceId).toBe(TRACE);
    expect(span?.parentSpanContext?.spanId).toBe(PARENT);
    expect(span?.parentSpanContext?.isRemote).toBe(true);
    expect(span?.parentSpanContext?.traceState?.get('vendor')).toBe('v1');
    expect(span?.attributes).toMatchObject({
      'http.request.method': 'GET',
      'url.path': '/orders/5',
      'http.route': '/orders/:id',
      'http.response.status_code': 200,
    });
    // The log line, the span and the outgoing header agree on the ids.
    expect(lines()[0]).toMatchObject({ traceId: TRACE, spanId: span?.spanContext().spanId });
    expect(outgoing).toBe(`00-${TRACE}-${span?.spanContext().spanId}-01`);
  });

  it('marks the span failed and records the exception for a 5xx', async () => {
    const { run } = app(() => {
      throw new Error('db timeout');
    });
    const response = await run(new Request('http://x.test/pay'), '/pay');
    expect(response.status).toBe(500);
    const [span] = exporter.getFinishedSpans();
    expect(span?.status.code).toBe(SpanStatusCode.ERROR);
    expect(span?.events.map((event) => event.name)).toContain('exception');
    expect(span?.attributes['http.response.status_code']).toBe(500);
  });

  it('keeps an unsampled parent unsampled: nothing exported, flag 00 propagated', async () => {
    let outgoing = '';
    const { run } = app(() => {
      outgoing = traceHeaders().traceparent ?? '';
      return new Response('ok');
    });
    await run(new Request('http://x.test/', { headers: { traceparent: `00-${TRACE}-${PARENT}-00` } }));
    expect(exporter.getFinishedSpans()).toHaveLength(0);
    expect(outgoing).toMatch(new RegExp(`^00-${TRACE}-[0-9a-f]{16}-00$`));
    expect(outgoing).not.toContain(PARENT);
  });

  it('uses the built-in span when told otel: false', () => {
    const span = startServerSpan({ method: 'GET', path: '/', otel: false });
    span.end(200);
    expect(span.kind).toBe('builtin');
    expect(exporter.getFinishedSpans()).toHaveLength(0);
  });
});

describe('with @opentelemetry/api installed but no SDK registered', () => {
  it('falls back to the built-in span with timings, keeping the caller as parent', () => {
    trace.disable();
    const span = startServerSpan({ method: 'GET', path: '/', traceparent: `00-${TRACE}-${PARENT}-01` });
    expect(span.kind).toBe('builtin');
    expect(span).toMatchObject({ traceId: TRACE, parentSpanId: PARENT, sampled: true });
    expect(span.spanId).not.toBe(PARENT);
    span.end(204, '/');
    expect(span.durationMs).toBeGreaterThanOrEqual(0);
    trace.setGlobalTracerProvider(
      new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }),
    );
  });
});
