import { describe, expect, it } from 'vitest';
import traceparentVectors from '../test/vectors/traceparent.json' with { type: 'json' };
import tracestateVectors from '../test/vectors/tracestate.json' with { type: 'json' };
import {
  formatTraceparent,
  parseTraceparent,
  parseTracestate,
  randomSpanId,
  randomTraceAndSpanIds,
  randomTraceId,
} from './trace-context.js';

describe('parseTraceparent (W3C Trace Context vectors)', () => {
  it.each(traceparentVectors.map((vector) => [vector.name, vector] as const))('%s', (_name, vector) => {
    const parsed = parseTraceparent(vector.header);
    if (!vector.valid) {
      expect(parsed).toBeUndefined();
      return;
    }
    expect(parsed).toMatchObject({
      traceId: vector.traceId,
      parentId: vector.parentId,
      sampled: vector.sampled,
    });
  });

  it('treats a missing header as no parent', () => {
    expect(parseTraceparent(undefined)).toBeUndefined();
    expect(parseTraceparent(null)).toBeUndefined();
  });
});

describe('parseTracestate (W3C Trace Context vectors)', () => {
  it.each(tracestateVectors.map((vector) => [vector.name, vector] as const))('%s', (_name, vector) => {
    expect(parseTracestate(vector.header)).toBe(vector.expected ?? undefined);
  });
});

describe('formatTraceparent', () => {
  it('writes version 00 with only the sampled flag, and round-trips through the parser', () => {
    const traceId = randomTraceId();
    const spanId = randomSpanId();
    expect(formatTraceparent(traceId, spanId, true)).toBe(`00-${traceId}-${spanId}-01`);
    expect(parseTraceparent(formatTraceparent(traceId, spanId, false))).toMatchObject({
      traceId,
      parentId: spanId,
      sampled: false,
    });
  });

  it('generates ids of the right shape that differ from each other', () => {
    const ids = new Set(Array.from({ length: 1000 }, () => randomSpanId()));
    expect(ids.size).toBe(1000);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{16}$/);
    expect(randomTraceId()).toMatch(/^[0-9a-f]{32}$/);
    const [traceId, spanId] = randomTraceAndSpanIds();
    expect(traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(spanId).toMatch(/^[0-9a-f]{16}$/);
    expect(randomTraceAndSpanIds()[0]).not.toBe(traceId);
  });
});
