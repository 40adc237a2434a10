import { describe, expect, it } from 'vitest';
import { backoffDelay } from './backoff.js';

describe('backoffDelay', () => {
  it('waits the same delay after every failure when fixed', () => {
    expect([1, 2, 5].map((attempt) => backoffDelay({ type: 'fixed', delayMs: 250 }, attempt, null))).toEqual([
      250, 250, 250,
    ]);
  });

  it('doubles from delayMs up to maxDelayMs when exponential without jitter', () => {
    const backoff = { type: 'exponential', delayMs: 100, maxDelayMs: 1000, jitter: false } as const;
    expect([1, 2, 3, 4, 5].map((attempt) => backoffDelay(backoff, attempt, null))).toEqual([
      100, 200, 400, 800, 1000,
    ]);
  });

  it('draws a full-jitter delay between 0 and the exponential one', () => {
    const backoff = { type: 'exponential', delayMs: 100 } as const;
    expect(backoffDelay(backoff, 3, null, () => 0.5)).toBe(200);
    expect(backoffDelay(backoff, 3, null, () => 0)).toBe(0);
    expect(backoffDelay(backoff, 3, null, () => 0.999)).toBe(399);
  });

  it('asks a custom function with the attempt and the error', () => {
    expect(backoffDelay((attempt, error) => attempt * 10 + (error as number), 3, 5)).toBe(35);
    expect(backoffDelay(() => -5, 1, null)).toBe(0);
  });
});
