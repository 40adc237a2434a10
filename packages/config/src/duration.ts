// Durations written the way people write them in environment variables: "250ms", "30s", "1h30m".

const unitMilliseconds: Record<string, number> = {
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

const whole = /^(?:\d+(?:\.\d+)?(?:ms|s|m|h|d)\s*)+$/;
const part = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/g;
const plainNumber = /^\d+(?:\.\d+)?$/;

/**
 * Parses a duration into milliseconds: a sequence of `<number><unit>` parts with units `ms`, `s`,
 * `m`, `h`, `d` (lower case, optionally separated by spaces, summed: `1h30m` = 5 400 000), or a
 * plain non-negative number, taken as milliseconds. Returns `undefined` when the text is not one.
 *
 * @example
 * parseDuration('1h30m'); // 5_400_000
 * parseDuration('250ms'); // 250
 */
export function parseDuration(text: string): number | undefined {
  const trimmed = text.trim();
  if (plainNumber.test(trimmed)) return Number(trimmed);
  if (!whole.test(trimmed)) return undefined;
  let total = 0;
  for (const match of trimmed.matchAll(part)) {
    total += Number(match[1]) * (unitMilliseconds[match[2] ?? ''] ?? Number.NaN);
  }
  return Number.isFinite(total) ? total : undefined;
}

const units: ReadonlyArray<readonly [string, number]> = [
  ['d', 86_400_000],
  ['h', 3_600_000],
  ['m', 60_000],
  ['s', 1_000],
  ['ms', 1],
];

/**
 * Writes milliseconds as the shortest duration `parseDuration` reads back (`5_400_000` → `1h30m`);
 * fractions of a millisecond are kept as a plain number.
 */
export function formatDuration(milliseconds: number): string {
  if (!Number.isInteger(milliseconds) || milliseconds <= 0) return String(milliseconds);
  let rest = milliseconds;
  let text = '';
  for (const [unit, size] of units) {
    const count = Math.floor(rest / size);
    if (count > 0) text += `${count}${unit}`;
    rest -= count * size;
  }
  return text;
}
