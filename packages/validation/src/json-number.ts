// A number as JSON text, byte for byte what JSON.stringify writes, with a fast path for decimals of
// up to six places (prices, rates, coordinates). Bench "serialize DTO": V8's number-to-string runs
// its shortest-digits search on every such call (~130 ns; its number-string cache hashes the low bits
// of the double, which decimals like 9.99, 10.99, 11.99 share, so they evict each other), where an
// exact decimal costs one small-integer conversion.

const scales = [1, 10, 100, 1000, 10000, 100000, 1000000];

/** `digits` × 10^-`places` in fixed notation (`digits` has no trailing zero: `places` is minimal). */
function decimal(negative: boolean, digits: number, places: number): string {
  const text = `${digits}`;
  const point = text.length - places;
  const fixed = point > 0 ? `${text.slice(0, point)}.${text.slice(point)}` : `0.${'0'.repeat(-point)}${text}`;
  return negative ? `-${fixed}` : fixed;
}

/** The JSON text of `value`, identical to `JSON.stringify(value)` (`null` for NaN and ±Infinity). */
export function jsonNumber(value: number): string {
  if (Number.isInteger(value)) return `${value}`;
  if (!Number.isFinite(value)) return 'null';
  const magnitude = value < 0 ? -value : value;
  // Why this is exact: below 1e9 with at most six places, `digits` stays below 2^50, so the scaled
  // product rounds to it (error < 0.13) and `digits / scale` is correctly rounded: equality means this
  // decimal reads back as `value`. Doubles there are closer than 1e-6 to each other, so no other
  // decimal of as few places reads back as `value`, and none of fewer places did (tried first): it is
  // the shortest round-trip form Number::toString writes (ECMA-262 §6.1.6.1.20), in fixed notation
  // as it writes every magnitude from 1e-6 (the smallest six places can hold) to 1e21.
  if (magnitude < 1e9) {
    for (let places = 1; places < scales.length; places++) {
      const scale = scales[places] as number;
      const digits = Math.round(magnitude * scale);
      if (digits / scale === magnitude) return decimal(value < 0, digits, places);
    }
  }
  return `${value}`;
}
