// Retry delays: fixed, exponential with full jitter (AWS's "Exponential Backoff and Jitter"), or yours.
import { JobsError } from './errors.js';

/** How long a failed job waits before its next attempt. */
export type Backoff =
  | { readonly type: 'fixed'; readonly delayMs: number }
  | {
      readonly type: 'exponential';
      /** The delay after the first failure; doubled after each further one. */
      readonly delayMs: number;
      /** The cap (default one hour). */
      readonly maxDelayMs?: number;
      /** Full jitter (a uniform delay between 0 and the computed one), default true. */
      readonly jitter?: boolean;
    }
  | ((attempt: number, error: unknown) => number);

/** The delay in ms before the attempt after `attempt` (1-based) failed with `error`. */
export function backoffDelay(
  backoff: Backoff,
  attempt: number,
  error: unknown,
  random = Math.random,
): number {
  if (typeof backoff === 'function') return Math.max(0, backoff(attempt, error));
  if (backoff.type === 'fixed') return backoff.delayMs;
  const ceiling = Math.min(backoff.maxDelayMs ?? 3_600_000, backoff.delayMs * 2 ** (attempt - 1));
  return backoff.jitter === false ? ceiling : Math.floor(random() * ceiling);
}

/** Fails at creation on a backoff that could never work. */
export function assertBackoff(backoff: unknown): asserts backoff is Backoff {
  if (typeof backoff === 'function') return;
  const value = backoff as { type?: unknown; delayMs?: unknown } | undefined;
  const delayOk = typeof value?.delayMs === 'number' && Number.isFinite(value.delayMs) && value.delayMs >= 0;
  if ((value?.type === 'fixed' || value?.type === 'exponential') && delayOk) return;
  throw new JobsError(
    'ERR_JOBS_INVALID_OPTION',
    `backoff must be { type: 'fixed' | 'exponential', delayMs: number ≥ 0 } or a function (attempt, error) => ms, got ${JSON.stringify(backoff)}.`,
  );
}
