import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from './duration.js';

describe('parseDuration', () => {
  it.each([
    ['250ms', 250],
    ['30s', 30_000],
    ['5m', 300_000],
    ['1h', 3_600_000],
    ['2d', 172_800_000],
    ['1h30m', 5_400_000],
    ['1h 30m 15s', 5_415_000],
    ['1.5h', 5_400_000],
    ['1500', 1500],
    ['  45s  ', 45_000],
    ['0s', 0],
  ])('reads %s as %d milliseconds', (text, expected) => {
    expect(parseDuration(text)).toBe(expected);
  });

  it.each(['', 'abc', '-5s', '5 minutes', '5M', '1h30', 's', '30sec', '1e3s'])('rejects %j', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });
});

describe('formatDuration', () => {
  it.each([
    [250, '250ms'],
    [30_000, '30s'],
    [5_400_000, '1h30m'],
    [90_061_001, '1d1h1m1s1ms'],
    [0, '0'],
    [0.5, '0.5'],
  ])('writes %d as %s, which parseDuration reads back', (milliseconds, text) => {
    expect(formatDuration(milliseconds)).toBe(text);
    expect(parseDuration(text)).toBe(milliseconds);
  });
});
