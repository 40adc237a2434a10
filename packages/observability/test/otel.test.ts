import { AsyncLocalStorage } from 'node:async_hooks';
import {
  type Context,
  type ContextManager,
  context,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { errorHandler, requestLogger, traceHeaders } from '../src/index.js';
import { startServerSpan } from '../src/start-span.js';
import { compose } from './compose.js';
import { captureLogger } from './log-capture.js';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT = '00f067aa0ba902b7';
const exporter = new InMemorySpanExporter();

// A minimal AsyncLocalStorage context manager (what @opentelemetry/context-async-hooks provides), so
// spans started inside a handler can find the active server span.
class StorageContextManager implements ContextManager {
  private readonly storage = new AsyncLocalStorage<Context>();
  active(): Context {
    return this.storage.getStore() ?? ROOT_CONTEXT;
  }
  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(
    activeContext: Context,
    fn: F,
    thisArg?: ThisParameterType<F>,
    ...args: A
  ): ReturnType<F> {
    return this.storage.run(activeContext, () => fn.call(thisArg, ...args));
  }
  bind<T>(_context: Context, target: T): T {
    return target;
  }
  enable(): this {
    return this;
  }
  disable(): this {
    return this;
  }
}

beforeAll(() => {
  context.setGlobalContextManager(new StorageContextManager());
  trace.setGlobalTracerProvider(
    new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }),
  );
});

afterEach(() => exporter.reset());

afterAll(() => {
  trace.disable();
  context.disable();
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

  it('makes the server span active, so spans started in the handler are its children', async () => {
    const { run } = app(async () => {
      await new Promise((resolve) => setTimeout(resolve, 2));
      trace.getTracer('db').startSpan('SELECT orders').end();
      return new Response('ok');
    });
    await run(new Request('http://x.test/orders'), '/orders');
    const spans = exporter.getFinishedSpans();
    const server = spans.find((span) => span.kind === SpanKind.SERVER);
    const query = spans.find((span) => span.name === 'SELECT orders');
    expect(query?.parentSpanContext?.spanId).toBe(server?.spanContext().spanId);
    expect(query?.spanContext().traceId).toBe(server?.spanContext().traceId);
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
