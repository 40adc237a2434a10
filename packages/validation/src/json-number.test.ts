import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonNumber } from './json-number.js';

// Decimals as APIs hold them (prices, rates), with up to nine places: the fast path and its edges.
const decimal = fc
  .tuple(fc.integer({ min: -(10 ** 12), max: 10 ** 12 }), fc.integer({ min: 0, max: 9 }))
  .map(([digits, places]) => digits / 10 ** places);
// The doubles next to a decimal, which read back as 17-digit strings (0.1 + 0.2).
const neighbour = fc.tuple(decimal, fc.constantFrom(-2, -1, 1, 2)).map(([value, steps]) => {
  const bits = new BigInt64Array(new Float64Array([value]).buffer);
  bits[0] = (bits[0] as bigint) + BigInt(steps);
  return new Float64Array(bits.buffer)[0] as number;
});

describe('jsonNumber', () => {
  it('writes exactly what JSON.stringify writes, for any double', () => {
    fc.assert(
      fc.property(fc.oneof(fc.double(), decimal, neighbour), (value) => {
        expect(jsonNumber(value)).toBe(JSON.stringify(value));
      }),
      { numRuns: 20000 },
    );
  });

  it('writes the edges of the decimal fast path as JSON.stringify does', () => {
    const values = [
      0.1,
      0.3,
      0.1 + 0.2,
      1.005,
      16.990000000000002,
      9.99 + 7,
      1234.5,
      -1234.5,
      0.000001,
      0.0000015,
      0.0000001,
      1e-7,
      999999999.999999,
      999999999.9999999,
      1e9 - 0.5,
      1e9 + 0.5,
      123456.1234567,
      5e-324,
      Number.MAX_VALUE,
      Number.MIN_SAFE_INTEGER - 0.5,
      2 ** 53 + 2,
      1e21,
      1e21 + 2 ** 20,
      -0.05,
    ];
    for (const value of values) expect(jsonNumber(value)).toBe(JSON.stringify(value));
  });

  it('writes NaN and ±Infinity as null and -0 as 0, as JSON.stringify does', () => {
    expect([NaN, Infinity, -Infinity, -0].map(jsonNumber)).toEqual(['null', 'null', 'null', '0']);
  });
});
