import { describe, expect, it } from 'vitest';
import { DomainError, isDomainError } from './domain-error.js';
import { err } from './result.js';
import { parseResult, serializeResult } from './stored-result.js';

class OutOfStock extends DomainError<'OUT_OF_STOCK', { sku: string }> {}

describe('stored results', () => {
  it('round-trips plain data, undefined and null apart, dates as strings', () => {
    const roundTrip = (value: unknown) => parseResult(JSON.parse(serializeResult('k', value)));
    expect(roundTrip({ a: [1, 'x'] })).toEqual({ a: [1, 'x'] });
    expect(roundTrip(undefined)).toBeUndefined();
    expect(roundTrip(null)).toBeNull();
    expect(roundTrip(new Date(0))).toBe('1970-01-01T00:00:00.000Z');
  });

  it('revives a DomainError in an err() Result with its name, code, message and details', () => {
    const stored = serializeResult(
      'k',
      err(new OutOfStock('OUT_OF_STOCK', 'SKU 9 is gone.', { details: { sku: '9' } })),
    );
    for (const source of [stored, JSON.parse(stored)]) {
      const result = parseResult(source) as { ok: false; error: DomainError };
      expect(result.ok).toBe(false);
      expect(isDomainError(result.error)).toBe(true);
      expect(result.error).toMatchObject({
        name: 'OutOfStock',
        code: 'OUT_OF_STOCK',
        message: 'SKU 9 is gone.',
        details: { sku: '9' },
      });
    }
  });

  it('refuses what JSON cannot hold, naming the key', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => serializeResult('order-7', cyclic)).toThrow(
      /idempotency key "order-7" cannot be stored as JSON/,
    );
  });
});
