import { describe, expect, it } from 'vitest';
import { assertRateLimit, tokenBucket } from './rate-limit.js';

describe('tokenBucket', () => {
  it('allows a burst of `messages`, then refills continuously', () => {
    let time = 0;
    const bucket = tokenBucket({ messages: 3, intervalMs: 1000 }, () => time);
    expect([bucket.take(), bucket.take(), bucket.take(), bucket.take()]).toEqual([true, true, true, false]);
    time += 333;
    expect(bucket.take()).toBe(false);
    time += 1;
    expect(bucket.take()).toBe(true);
    time += 10_000;
    expect([bucket.take(), bucket.take(), bucket.take(), bucket.take()]).toEqual([true, true, true, false]);
  });

  it('refuses a limit that cannot work', () => {
    expect(() => assertRateLimit({ messages: 0, intervalMs: 1000 })).toThrow(/rateLimit.messages/);
    expect(() => assertRateLimit({ messages: 1, intervalMs: Number.NaN })).toThrow(/rateLimit.intervalMs/);
  });
});
