// A token bucket per connection: `messages` per `intervalMs`, refilled continuously, bursts up to `messages`.
import { assertNumber } from './errors.js';

/** How many messages a connection may send per interval. */
export interface MessageRateLimit {
  /** Messages allowed per interval (also the burst size). */
  messages: number;
  /** The interval in milliseconds. */
  intervalMs: number;
}

/** A bucket: `take()` answers whether one more message is allowed now. */
export interface TokenBucket {
  take(): boolean;
}

/** Validates a rate limit option at creation, so a bad one fails at start. */
export function assertRateLimit(limit: MessageRateLimit): void {
  assertNumber('rateLimit.messages', limit.messages, 1);
  assertNumber('rateLimit.intervalMs', limit.intervalMs, 1);
}

/** A token bucket that starts full. */
export function tokenBucket(limit: MessageRateLimit, now: () => number = Date.now): TokenBucket {
  const perMs = limit.messages / limit.intervalMs;
  let tokens = limit.messages;
  let last = now();
  return {
    take() {
      const time = now();
      tokens = Math.min(limit.messages, tokens + (time - last) * perMs);
      last = time;
      if (tokens < 1) return false;
      tokens -= 1;
      return true;
    },
  };
}
