import { describe, expect, it } from 'vitest';
import { startServerSpan } from './start-span.js';

describe('startServerSpan (built-in)', () => {
  it('starts a new sampled trace without a parent, with timings and attributes', () => {
    const before = Date.now();
    const span = startServerSpan({ method: 'POST', path: '/orders', otel: false });
    expect(span).toMatchObject({
      kind: 'builtin',
      parentSpanId: undefined,
      sampled: true,
      traceState: undefined,
    });
    expect(span.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(span.startTime).toBeGreaterThanOrEqual(before - 1);
    expect(span.startTime).toBeLessThanOrEqual(Date.now() + 1);
    expect(span.durationMs).toBeUndefined();
    span.setAttribute('app.tenant', 'acme');
    span.end(201, '/orders');
    const first = span.durationMs;
    span.end(500);
    expect(span.durationMs).toBe(first);
    expect((span as unknown as { attributes: Record<string, unknown> }).attributes).toEqual({
      'app.tenant': 'acme',
      'http.response.status_code': 201,
      'http.route': '/orders',
    });
  });

  it('ignores tracestate when traceparent is invalid', () => {
    const span = startServerSpan({
      method: 'GET',
      path: '/',
      traceparent: 'garbage',
      tracestate: 'a=1',
      otel: false,
    });
    expect(span.parentSpanId).toBeUndefined();
    expect(span.traceState).toBeUndefined();
  });
});
