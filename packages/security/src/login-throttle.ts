// Brute-force protection for a login form: failures counted per username + client, each failure past
// the free ones doubling the wait (GCRA penalties), and a cap on failures per client across usernames.
import { assertNumber } from './errors.js';
import type { ConsumeRequest, RateLimitStore } from './store.js';

/** Options of {@link createLoginThrottle}. */
export interface LoginThrottleOptions {
  store: RateLimitStore;
  /** Failures allowed without delay for one username from one client (default 5). */
  freeAttempts?: number;
  /** The first delay after the free attempts, in ms; it doubles with each further failure (default 1 000). */
  baseDelayMs?: number;
  /** The longest delay (default 15 min). */
  maxDelayMs?: number;
  /** Failures one client may make across all usernames per `clientWindowMs` (default 100). */
  clientLimit?: number;
  /** Default 1 h. */
  clientWindowMs?: number;
  /** Failures of a username + client are forgotten after this long without a success (default 24 h). */
  forgetAfterMs?: number;
}

/** Whether a login attempt may proceed, and if not for how long to wait. */
export interface LoginVerdict {
  readonly allowed: boolean;
  readonly retryAfterMs: number;
}

/** The login throttle: call `check` before verifying the password, then `fail` or `succeed`. */
export interface LoginThrottle {
  check(username: string, client: string): Promise<LoginVerdict>;
  /** Records a failed attempt; returns the wait now imposed. */
  fail(username: string, client: string): Promise<LoginVerdict>;
  /** Clears the username + client failures (the per-client count stays). */
  succeed(username: string, client: string): Promise<void>;
}

/**
 * Makes a login throttle over any RateLimitStore. Usernames are lower-cased and trimmed so
 * `Alice` and `alice ` share one count.
 *
 * @example
 * const throttle = createLoginThrottle({ store });
 * const verdict = await throttle.check(username, clientIp);
 * if (!verdict.allowed) return tooManyAttempts(verdict.retryAfterMs);
 * if (await verify(username, password)) await throttle.succeed(username, clientIp);
 * else await throttle.fail(username, clientIp);
 */
export function createLoginThrottle(options: LoginThrottleOptions): LoginThrottle {
  const freeAttempts = options.freeAttempts ?? 5;
  const baseDelayMs = options.baseDelayMs ?? 1_000;
  const maxDelayMs = options.maxDelayMs ?? 15 * 60_000;
  const clientLimit = options.clientLimit ?? 100;
  const clientWindowMs = options.clientWindowMs ?? 60 * 60_000;
  const forgetAfterMs = options.forgetAfterMs ?? 24 * 60 * 60_000;
  assertNumber('freeAttempts', freeAttempts, 1);
  assertNumber('baseDelayMs', baseDelayMs, 1);
  assertNumber('maxDelayMs', maxDelayMs, baseDelayMs);
  assertNumber('clientLimit', clientLimit, 1);
  assertNumber('clientWindowMs', clientWindowMs, 1);
  assertNumber('forgetAfterMs', forgetAfterMs, maxDelayMs);
  const { store } = options;
  const maxCost = Math.max(1, Math.floor(maxDelayMs / baseDelayMs));

  const pairKey = (username: string, client: string) =>
    `login:pair:${encodeURIComponent(username.trim().toLowerCase())}:${client}`;
  // The pair's wait: a token bucket with one token per baseDelay and freeAttempts of tolerance.
  const pair = (username: string, client: string, cost: number, force: boolean): ConsumeRequest => ({
    key: pairKey(username, client),
    algorithm: 'token-bucket',
    limit: 1,
    windowMs: baseDelayMs,
    burst: freeAttempts,
    cost,
    force,
  });
  const failures = (username: string, client: string, force: boolean): ConsumeRequest => ({
    key: `${pairKey(username, client)}:count`,
    algorithm: 'fixed-window',
    limit: Number.MAX_SAFE_INTEGER,
    windowMs: forgetAfterMs,
    cost: force ? 1 : 0,
    force,
  });
  // A look (cost 0) passes at `limit`; checked against clientLimit - 1 it passes only while another failure fits.
  const perClient = (client: string, cost: number, force: boolean): ConsumeRequest => ({
    key: `login:client:${client}`,
    algorithm: 'sliding-window',
    limit: force ? clientLimit : clientLimit - 1,
    windowMs: clientWindowMs,
    cost,
    force,
  });
  const verdict = (results: readonly { allowed: boolean; retryAfterMs: number }[]): LoginVerdict => {
    const waits = results.filter((result) => !result.allowed).map((result) => result.retryAfterMs);
    return waits.length === 0
      ? { allowed: true, retryAfterMs: 0 }
      : { allowed: false, retryAfterMs: Math.max(...waits) };
  };

  return {
    async check(username, client) {
      return verdict(await store.consume([pair(username, client, 0, false), perClient(client, 0, false)]));
    },
    async fail(username, client) {
      const [count] = await store.consume([failures(username, client, true)]);
      const failed = Number.MAX_SAFE_INTEGER - count!.remaining;
      // Failures past the free ones cost 1, 2, 4 … tokens: each waits twice as long as the one before.
      const cost = failed <= freeAttempts ? 1 : Math.min(maxCost, 2 ** (failed - freeAttempts - 1));
      await store.consume([pair(username, client, cost, true), perClient(client, 1, true)]);
      return verdict(await store.consume([pair(username, client, 0, false), perClient(client, 0, false)]));
    },
    async succeed(username, client) {
      await store.reset([pairKey(username, client), `${pairKey(username, client)}:count`]);
    },
  };
}
