// A liveness check on event-loop delay, measured by perf_hooks.monitorEventLoopDelay.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { Check, CheckKind, CheckOutcome } from './check.js';
import { assertDuration, DeployError } from './errors.js';

/** Options of {@link eventLoopDelayCheck}. */
export interface EventLoopDelayCheckOptions {
  /** Check name. Default `event-loop`. */
  name?: string;
  /** Delay (ms, p99 over the window since the last run) at which the check fails. Default 1000. */
  failAfter?: number;
  /** Delay (ms) at which the check warns. Default 200. */
  warnAfter?: number;
  /** Sampling resolution of the monitor in ms. Default 20. */
  resolution?: number;
  /** Probes the check answers. Default `['liveness']`. */
  kinds?: readonly CheckKind[];
  /** Whether a failure fails the probe. Default true. */
  critical?: boolean;
}

/** A check with a monitor to stop. */
export interface EventLoopDelayCheck extends Check {
  /** Stops the monitor. */
  close(): void;
}

/**
 * A liveness check that fails when the event loop lagged more than `failAfter` ms (p99 of the
 * window since the previous run): a process stuck in a CPU loop is one an orchestrator should
 * restart.
 *
 * @example
 * const health = createHealth({ checks: [eventLoopDelayCheck({ failAfter: 1000 })] });
 */
export function eventLoopDelayCheck(options: EventLoopDelayCheckOptions = {}): EventLoopDelayCheck {
  const failAfter = options.failAfter ?? 1000;
  const warnAfter = options.warnAfter ?? 200;
  const resolution = options.resolution ?? 20;
  assertDuration('eventLoopDelayCheck: failAfter', failAfter);
  assertDuration('eventLoopDelayCheck: warnAfter', warnAfter);
  if (!Number.isInteger(resolution) || resolution < 1) {
    throw new DeployError(
      'ERR_DEPLOY_INVALID_OPTION',
      `eventLoopDelayCheck: resolution must be an integer ≥ 1 ms, got ${resolution}.`,
    );
  }
  const histogram = monitorEventLoopDelay({ resolution });
  histogram.enable();
  return {
    name: options.name ?? 'event-loop',
    kinds: options.kinds ?? ['liveness'],
    critical: options.critical ?? true,
    componentType: 'system',
    // The measurement is of the past window, so a cached value would hide a fresh stall.
    cacheTtl: 0,
    run(): CheckOutcome {
      // The histogram counts the timer's own resolution as delay; subtract it (as under-pressure does).
      const delay = histogram.count === 0 ? 0 : Math.max(0, histogram.percentile(99) / 1e6 - resolution);
      histogram.reset();
      const observedValue = Math.round(delay * 100) / 100;
      const output = `event-loop delay p99 ${observedValue} ms`;
      if (delay >= failAfter) throw new Error(`${output} ≥ ${failAfter} ms`);
      return { status: delay >= warnAfter ? 'warn' : 'pass', observedValue, observedUnit: 'ms', output };
    },
    close() {
      histogram.disable();
    },
  };
}
