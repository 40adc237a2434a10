// The seam of rate limiting: a RateLimitStore applies one check of several policies atomically.
// Drivers: memory (drivers/memory.ts) and Redis (drivers/redis.ts); one contract suite (./testing).

/** The three algorithms every store implements, with the same arithmetic (see limits.ts). */
export type RateLimitAlgorithm = 'fixed-window' | 'sliding-window' | 'token-bucket';

/** One policy applied to one key within a {@link RateLimitStore.consume} call. */
export interface ConsumeRequest {
  /** The full storage key (prefix, policy name and client key already joined). */
  readonly key: string;
  readonly algorithm: RateLimitAlgorithm;
  /** Requests allowed per window (token bucket: refill rate, `limit` per `windowMs`). */
  readonly limit: number;
  /** Window length in milliseconds. */
  readonly windowMs: number;
  /** Token bucket only: the bucket size (default `limit`). */
  readonly burst?: number | undefined;
  /** Units this request costs (default 1; 0 only looks). */
  readonly cost?: number | undefined;
  /** Record the cost even when over the limit (penalties such as failed logins). */
  readonly force?: boolean | undefined;
}

/** The answer for one {@link ConsumeRequest}; for a request not recorded because another was denied, as it stands. */
export interface ConsumeResult {
  /** True when this policy lets the request through. */
  readonly allowed: boolean;
  /** Requests still allowed now (≥ 0). */
  readonly remaining: number;
  /** Milliseconds until the quota is fully restored (for the `t` of the RateLimit header). */
  readonly resetMs: number;
  /** Milliseconds until this request would be allowed (0 when allowed). */
  readonly retryAfterMs: number;
}

/**
 * Where counters live. Contract (checked for every driver by `@plinth/security/testing`):
 * - `consume` evaluates every request of the call against the same instant and is atomic: concurrent
 *   calls from any number of processes never let more through than the limit.
 * - All or nothing: if any request of the call is denied, none of the non-`force` requests is recorded;
 *   `force` requests are recorded whatever the outcome.
 * - Results come back in the order of the requests. The arithmetic is the one of `limits.ts`.
 * - A store that cannot answer rejects (with ERR_SECURITY_STORE_UNAVAILABLE for drivers of this
 *   package) within a bounded time; the limiter then applies its `whenStoreFails` policy.
 * - Keys expire on their own once their window has passed (no unbounded growth).
 */
export interface RateLimitStore {
  /** A short name for logs and errors (`memory`, `redis`). */
  readonly name: string;
  /** True for stores reached over the network: the limiter then requires a `whenStoreFails` choice. */
  readonly remote: boolean;
  /** Applies one check of several policies atomically. */
  consume(requests: readonly ConsumeRequest[]): Promise<readonly ConsumeResult[]>;
  /** Forgets every counter of these keys (a successful login, a test). */
  reset(keys: readonly string[]): Promise<void>;
  /** Releases timers; never closes a client the user passed in. */
  close(): Promise<void>;
}

/**
 * Internal (not exported from the package): an in-process store's synchronous consume, same contract
 * as `consume`. The limiter calls it when present, so an Express app on the memory store decides and
 * calls next() in the same tick, with no promise per request (bench "Express 5 app, rate limited").
 */
export const consumeNow: unique symbol = Symbol('plinth.security.consumeNow');

/** A store that may answer synchronously (see {@link consumeNow}). */
export interface MaybeSyncStore extends RateLimitStore {
  /**
   * `now` answers as `consume` would; used only while `store.consume` is still this `consume` (a
   * wrapped or replaced consume, e.g. to count or log calls, is called as before).
   */
  readonly [consumeNow]?: {
    readonly consume: RateLimitStore['consume'];
    readonly now: (requests: readonly ConsumeRequest[]) => readonly ConsumeResult[];
  };
}
