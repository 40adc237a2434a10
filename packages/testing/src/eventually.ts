// eventually(): retry an assertion until it passes or a deadline, for effects that land later
// (a job ran, an event was dispatched, a stream closed).
import { setTimeout as sleep } from 'node:timers/promises';
import { TestingError } from './errors.js';

/** Options of eventually(). */
export interface EventuallyOptions {
  /** Give up after this many milliseconds (default 1000). */
  timeout?: number;
  /** Wait this many milliseconds between attempts (default 10). */
  interval?: number;
}

function assertMilliseconds(name: string, value: number): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new TestingError(
      'ERR_TESTING_INVALID_OPTION',
      `eventually: ${name} must be a finite number of milliseconds ≥ 0, got ${String(value)}.`,
    );
  }
}

/**
 * Runs `assertion` until it neither throws nor rejects, and returns its value; after `timeout` ms
 * throws ERR_TESTING_EVENTUALLY_TIMEOUT with the last failure as `cause` and in the message.
 * Waits on node's real timers clock (`performance.now()`): under vi.useFakeTimers() pass
 * `toFake` without 'performance' or advance time yourself.
 *
 * @example
 * await eventually(() => expect(sink.events).toHaveLength(1), { timeout: 2000 });
 */
export async function eventually<T>(
  assertion: () => T | Promise<T>,
  options: EventuallyOptions = {},
): Promise<T> {
  const { timeout = 1000, interval = 10 } = options;
  assertMilliseconds('timeout', timeout);
  assertMilliseconds('interval', interval);
  const started = performance.now();
  let attempts = 0;
  for (;;) {
    attempts++;
    try {
      return await assertion();
    } catch (error) {
      if (performance.now() - started >= timeout) {
        const reason = error instanceof Error ? error.message : String(error);
        throw new TestingError(
          'ERR_TESTING_EVENTUALLY_TIMEOUT',
          `eventually: the assertion still failed after ${timeout} ms (${attempts} attempts): ${reason}`,
          { cause: error },
        );
      }
    }
    await sleep(interval);
  }
}
