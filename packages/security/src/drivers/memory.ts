// The in-process RateLimitStore: one Map, the arithmetic of limits.ts, expired keys swept on a timer.
import { invalidOption } from '../errors.js';
import { type Evaluation, evaluate, type KeyState } from '../limits.js';
import {
  type ConsumeRequest,
  type ConsumeResult,
  consumeNow,
  type MaybeSyncStore,
  type RateLimitStore,
} from '../store.js';

/** Options of {@link memoryStore}. */
export interface MemoryStoreOptions {
  /** The clock in milliseconds (default `Date.now`); tests pass their own. */
  now?: () => number;
  /** How often expired keys are dropped, in ms (default 60 000). */
  sweepIntervalMs?: number;
}

interface Entry {
  state: KeyState;
  expiresAt: number;
}

/**
 * A store in this process's memory: right for one instance and for tests; several instances need
 * the Redis store to share counts. Consume is synchronous inside, so it is atomic by construction.
 *
 * @example
 * const limiter = createRateLimiter({ store: memoryStore(), policies: [{ name: 'default', limit: 100, windowMs: 60_000 }] });
 */
export function memoryStore(options: MemoryStoreOptions = {}): RateLimitStore {
  const now = options.now ?? Date.now;
  const sweepIntervalMs = options.sweepIntervalMs ?? 60_000;
  if (!(sweepIntervalMs > 0))
    invalidOption(`sweepIntervalMs must be a number of ms > 0, got ${sweepIntervalMs}.`);
  const entries = new Map<string, Entry>();
  const sweep = setInterval(() => {
    const time = now();
    for (const [key, entry] of entries) if (entry.expiresAt <= time) entries.delete(key);
  }, sweepIntervalMs);
  sweep.unref?.();

  const stateOf = (key: string, time: number): KeyState | undefined => {
    const entry = entries.get(key);
    return entry === undefined || entry.expiresAt <= time ? undefined : entry.state;
  };
  const commit = (key: string, evaluation: Evaluation) => {
    const entry = entries.get(key);
    if (entry === undefined) entries.set(key, { state: evaluation.next, expiresAt: evaluation.expiresAt });
    else {
      entry.state = evaluation.next;
      entry.expiresAt = evaluation.expiresAt;
    }
  };

  const consumeSync = (requests: readonly ConsumeRequest[]): ConsumeResult[] => {
    const time = now();
    // One policy (the common case) needs no second pass: benchmark "memory limiter".
    if (requests.length === 1) {
      const request = requests[0]!;
      const evaluation = evaluate(request, stateOf(request.key, time), time);
      if (evaluation.result.allowed || request.force) commit(request.key, evaluation);
      return [evaluation.result];
    }
    const evaluations = requests.map((request) => evaluate(request, stateOf(request.key, time), time));
    const allAllowed = evaluations.every((evaluation) => evaluation.result.allowed);
    return requests.map((request, index) => {
      const evaluation = evaluations[index]!;
      if (allAllowed || request.force) commit(request.key, evaluation);
      // Not recorded (another policy denied): report this policy as it stands.
      else if (evaluation.result.allowed)
        return evaluate({ ...request, cost: 0 }, stateOf(request.key, time), time).result;
      return evaluation.result;
    });
  };

  const consume = (requests: readonly ConsumeRequest[]) => Promise.resolve(consumeSync(requests));
  const store: MaybeSyncStore = {
    name: 'memory',
    remote: false,
    consume,
    [consumeNow]: { consume, now: consumeSync },
    reset(keys) {
      for (const key of keys) entries.delete(key);
      return Promise.resolve();
    },
    close() {
      clearInterval(sweep);
      entries.clear();
      return Promise.resolve();
    },
  };
  return store;
}
