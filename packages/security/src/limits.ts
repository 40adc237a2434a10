// The arithmetic of the three algorithms on plain numbers, shared by the memory driver; the Redis
// driver's Lua script (drivers/redis-script.ts) is a line-by-line copy, checked by the contract suite.
import type { ConsumeRequest, ConsumeResult } from './store.js';

/** Stored state of one key: fixed window [windowStart, count]; sliding [windowStart, current, previous]; bucket [tat]. */
export type KeyState = number[];

/** A decision before it is committed: the state to store if every policy of the call agrees. */
export interface Evaluation {
  readonly result: ConsumeResult;
  readonly next: KeyState;
  /** Absolute time (ms) when the key may be forgotten. */
  readonly expiresAt: number;
}

/** Fixed window: `limit` per aligned window of `windowMs`. */
function fixedWindow(
  request: ConsumeRequest,
  state: KeyState | undefined,
  now: number,
  cost: number,
): Evaluation {
  const { limit, windowMs } = request;
  const start = now - (now % windowMs);
  const count = state !== undefined && state[0] === start ? state[1]! : 0;
  const allowed = count + cost <= limit;
  const used = allowed || request.force ? count + cost : count;
  const resetMs = start + windowMs - now;
  return {
    result: {
      allowed,
      remaining: Math.max(0, limit - used),
      resetMs,
      retryAfterMs: allowed ? 0 : resetMs,
    },
    next: [start, used],
    expiresAt: start + windowMs,
  };
}

/** Sliding window (the weighted two-window counter): previous window's count weighted by its overlap. */
function slidingWindow(
  request: ConsumeRequest,
  state: KeyState | undefined,
  now: number,
  cost: number,
): Evaluation {
  const { limit, windowMs } = request;
  const start = now - (now % windowMs);
  let current = 0;
  let previous = 0;
  if (state !== undefined) {
    if (state[0] === start) {
      current = state[1]!;
      previous = state[2]!;
    } else if (state[0] === start - windowMs) previous = state[1]!;
  }
  const elapsed = now - start;
  const weight = (windowMs - elapsed) / windowMs;
  const estimate = previous * weight + current;
  const allowed = estimate + cost <= limit;
  const used = allowed || request.force ? current + cost : current;
  let retryAfterMs = 0;
  if (!allowed) {
    if (current + cost > limit) {
      // Wait for the next window, then until this window's count has decayed enough.
      const needed = current === 0 ? 0 : windowMs * (1 - (limit - cost) / current);
      retryAfterMs = windowMs - elapsed + Math.max(0, Math.ceil(needed));
    } else {
      const needed = windowMs * (1 - (limit - current - cost) / previous);
      retryAfterMs = Math.max(1, Math.ceil(needed - elapsed));
    }
  }
  const after = previous * weight + used;
  return {
    result: {
      allowed,
      remaining: Math.max(0, Math.floor(limit - after)),
      resetMs: after === 0 ? 0 : windowMs - elapsed + (used > 0 ? windowMs : 0),
      retryAfterMs,
    },
    next: [start, used, previous],
    expiresAt: start + 2 * windowMs,
  };
}

/** Token bucket as GCRA: one "theoretical arrival time" per key, `burst` requests of tolerance. */
function tokenBucket(
  request: ConsumeRequest,
  state: KeyState | undefined,
  now: number,
  cost: number,
): Evaluation {
  const interval = request.windowMs / request.limit;
  const burst = request.burst ?? request.limit;
  const tolerance = burst * interval;
  const tat = Math.max(state?.[0] ?? now, now);
  const newTat = tat + cost * interval;
  const allowAt = newTat - tolerance;
  const allowed = now >= allowAt;
  const stored = allowed || request.force ? newTat : tat;
  return {
    result: {
      allowed,
      remaining: Math.max(0, Math.floor((tolerance - (stored - now)) / interval)),
      resetMs: Math.ceil(stored - now),
      retryAfterMs: allowed ? 0 : Math.ceil(allowAt - now),
    },
    next: [stored],
    expiresAt: Math.ceil(stored),
  };
}

/** Evaluates one request against its key's state at `now` (milliseconds). */
export function evaluate(request: ConsumeRequest, state: KeyState | undefined, now: number): Evaluation {
  const cost = request.cost ?? 1;
  if (request.algorithm === 'fixed-window') return fixedWindow(request, state, now, cost);
  if (request.algorithm === 'sliding-window') return slidingWindow(request, state, now, cost);
  return tokenBucket(request, state, now, cost);
}
