// A number as JSON text, byte for byte what JSON.stringify writes, with a fast path for decimals of
// up to six places (prices, rates, coordinates). Bench "serialize DTO": V8's number-to-string runs
// its shortest-digits search whenever its number-string cache misses (~130 ns), and it misses often
// on decimals (it hashes the double's low bits, which 9.99, 10.99, 11.99 share), where an exact
// decimal costs one small-integer conversion.

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
  // Why this is exact: below 1e9, six places give `digits` below 2^50, so the scaled product rounds
  // to it (error < 0.13) and `digits / 1e6` is correctly rounded: equality means this decimal reads
  // back as `value`. Doubles there are closer than 1e-6 to each other, so no other decimal of six
  // places or fewer reads back as `value`: dropping trailing zeros gives the shortest round-trip form
  // Number::toString writes (ECMA-262 §6.1.6.1.20), in fixed notation as it writes every magnitude
  // from 1e-6 (the smallest six places can hold) to 1e21. One test at six places, not one a place:
  // a double that is no short decimal (0.1 + 0.2) costs one multiplication and one division more.
  if (magnitude < 1e9) {
    let digits = Math.round(magnitude * 1e6);
    if (digits / 1e6 === magnitude) {
      let places = 6;
      // Not an integer, so a digit other than 0 remains among the six places.
      while (digits % 10 === 0) {
        digits /= 10;
        places--;
      }
      return decimal(value < 0, digits, places);
    }
  }
  return `${value}`;
}
