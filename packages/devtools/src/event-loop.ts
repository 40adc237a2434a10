// The event-loop delay: how late timers fire because the loop was busy (perf_hooks histogram).
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { assertNonNegative } from './errors.js';

/** Event-loop delay statistics in milliseconds. */
export interface EventLoopDelayStats {
  readonly min: number;
  readonly mean: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
}

/** A running event-loop delay monitor; pass it as `eventLoop` to the Server-Timing middleware. */
export interface EventLoopMonitor {
  /** The 99th percentile delay (ms) since the last reset. */
  p99(): number;
  /** Every statistic (ms) since the last reset. */
  stats(): EventLoopDelayStats;
  /** Starts a new window. */
  reset(): void;
  /** Stops sampling. */
  close(): void;
  [Symbol.dispose](): void;
}

/** Options of {@link monitorEventLoop}. */
export interface EventLoopMonitorOptions {
  /** Sampling resolution in ms; 10 by default (the perf_hooks default). */
  resolution?: number;
  /** Start a new window every so many ms, so p99 shows the recent past; 60000 by default, 0 never. */
  window?: number;
}

/**
 * Starts measuring the event-loop delay.
 *
 * @example
 * const eventLoop = monitorEventLoop();
 * app.use(serverTiming({ eventLoop, slowThreshold: 500 }));
 */
export function monitorEventLoop(options: EventLoopMonitorOptions = {}): EventLoopMonitor {
  const resolution = options.resolution ?? 10;
  const window = options.window ?? 60_000;
  assertNonNegative('resolution', resolution);
  assertNonNegative('window', window);
  const histogram = monitorEventLoopDelay({ resolution: Math.max(1, Math.round(resolution)) });
  histogram.enable();
  const timer = window > 0 ? setInterval(() => histogram.reset(), window) : undefined;
  timer?.unref();
  const ms = (nanoseconds: number) => (Number.isFinite(nanoseconds) ? nanoseconds / 1e6 : 0);
  const close = () => {
    if (timer !== undefined) clearInterval(timer);
    histogram.disable();
  };
  return {
    p99: () => (histogram.count === 0 ? 0 : ms(histogram.percentile(99))),
    stats: () => ({
      // An empty histogram reports min as 2^63: no samples yet means no delay seen.
      min: histogram.count === 0 ? 0 : ms(histogram.min),
      mean: ms(histogram.mean),
      p50: ms(histogram.percentile(50)),
      p99: ms(histogram.percentile(99)),
      max: ms(histogram.max),
    }),
    reset: () => histogram.reset(),
    close,
    [Symbol.dispose]: close,
  };
}
