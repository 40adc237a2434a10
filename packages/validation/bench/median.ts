// The statistic every benchmark here reports: the median of interleaved rounds.

/** The median of `values` (the mean of the middle two for an even count). */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/**
 * Each round's ratio of `values` to `base` (the reference's samples of the same rounds), oriented so
 * that above 1 is better, sorted; a round runs every contender back to back, so a machine that slows
 * down for a while slows the pair alike. Empty when the two do not cover the same rounds.
 */
export function roundRatios(values: number[], base: number[], higherIsBetter: boolean): number[] {
  if (base.length !== values.length) return [];
  return values
    .map((value, round) => {
      const other = base[round] as number;
      return higherIsBetter ? value / other : other / value;
    })
    .sort((a, b) => a - b);
}
