// Per-request timings: time spent in each timed middleware (exclusive of what it awaited) and in the
// handler, sent as a Server-Timing header (W3C Server Timing) and logged above a slow-request threshold.

import { isProduction } from './dev-error-page.js';
import { assertNonNegative, DevtoolsError } from './errors.js';

/** A pino-compatible logger, the part devtools calls. */
export interface TimingLogger {
  warn(object: Record<string, unknown>, message: string): void;
}

/** Reports the event-loop delay (see `monitorEventLoop` in `@plinth/devtools/node`). */
export interface EventLoopDelaySource {
  /** The delay's 99th percentile in milliseconds over the recent window. */
  p99(): number;
}

/** Options of the Server-Timing middleware of every adapter. */
export interface ServerTimingOptions {
  /** Send the `Server-Timing` header; by default when NODE_ENV is not "production". */
  header?: boolean;
  /** Log requests slower than this many milliseconds (in production too); off by default. */
  slowThreshold?: number;
  /** Where slow requests are logged; `console` by default. */
  logger?: TimingLogger;
  /** Adds the event-loop delay (p99) to the header and the slow-request log. */
  eventLoop?: EventLoopDelaySource;
}

/** One measured part of a request. */
export interface TimingEntry {
  readonly name: string;
  /** Milliseconds. */
  readonly duration: number;
}

/** Internal: the settings every adapter shares, validated once. */
export interface TimingSettings {
  readonly header: boolean;
  readonly slowThreshold: number | undefined;
  readonly logger: TimingLogger;
  readonly eventLoop: EventLoopDelaySource | undefined;
  /** Whether requests need a timer at all. */
  readonly active: boolean;
}

const consoleLogger: TimingLogger = {
  warn: (object, message) => console.warn(message, object),
};

/** Internal: validated settings. */
export function timingSettings(options: ServerTimingOptions = {}): TimingSettings {
  if (options.slowThreshold !== undefined) assertNonNegative('slowThreshold', options.slowThreshold);
  if (options.logger !== undefined && typeof options.logger.warn !== 'function') {
    throw new DevtoolsError(
      'ERR_DEVTOOLS_INVALID_OPTION',
      'logger must have a warn(object, message) method (pino has one).',
    );
  }
  const header = options.header ?? !isProduction();
  return {
    header,
    slowThreshold: options.slowThreshold,
    logger: options.logger ?? consoleLogger,
    eventLoop: options.eventLoop,
    active: header || options.slowThreshold !== undefined,
  };
}

/** The key a timer is kept under on `ctx.state` / the node request (SEAMS §D: Symbol.for). */
export const TIMER_KEY = Symbol.for('@plinth/devtools.RequestTimer');

/** Internal: the timings of one request. */
export class RequestTimer {
  readonly started = performance.now();
  readonly entries: TimingEntry[] = [];
  /** Callback-style hosts (Express): the section running now and when it began. */
  #open: { name: string; start: number } | undefined;

  /**
   * Closes the running section (if any) and opens `name`: the time until the next boundary is its.
   * An open "handler" section is provisional: a timed middleware starting ends it unrecorded.
   */
  openSection(name: string): void {
    const now = performance.now();
    if (this.#open?.name === 'handler') this.#open = undefined;
    this.closeOpen(now);
    this.#open = { name, start: now };
  }

  /** Closes the running section, e.g. when the response headers leave. */
  closeOpen(now = performance.now()): void {
    if (this.#open !== undefined) this.add(this.#open.name, now - this.#open.start);
    this.#open = undefined;
  }

  /** Counts timed sections entered, so a section knows whether anything timed ran inside its `next()`. */
  sections = 0;

  add(name: string, duration: number): void {
    this.entries.push({ name, duration });
  }

  /**
   * Runs one timed section around `next`: its own time is the total minus the time in `next()`; when
   * no other timed section ran inside `next()`, that time was the handler's.
   */
  async section(
    name: string | undefined,
    run: (next: () => Promise<Response>) => Promise<Response>,
    next: () => Promise<Response>,
  ): Promise<Response> {
    this.sections++;
    const start = performance.now();
    let inner = 0;
    const timedNext = async () => {
      const before = this.sections;
      const entered = performance.now();
      try {
        return await next();
      } finally {
        inner = performance.now() - entered;
        if (this.sections === before) this.add('handler', inner);
      }
    };
    try {
      return await run(timedNext);
    } finally {
      if (name !== undefined) this.add(name, performance.now() - start - inner);
    }
  }

  /** The Server-Timing header value: every entry, the event-loop delay and the total. */
  header(total: number, eventLoop: EventLoopDelaySource | undefined): string {
    const parts = this.entries.map((entry) => `${token(entry.name)};dur=${round(entry.duration)}`);
    if (eventLoop !== undefined)
      parts.push(`eventloop;desc="event-loop delay p99";dur=${round(eventLoop.p99())}`);
    parts.push(`total;dur=${round(total)}`);
    return parts.join(', ');
  }

  /** Logs the request when it took longer than the threshold. */
  logIfSlow(
    settings: TimingSettings,
    total: number,
    request: { method: string; path: string; route?: string | undefined; status?: number },
  ): void {
    if (settings.slowThreshold === undefined || total < settings.slowThreshold) return;
    const timings = Object.fromEntries(this.entries.map((entry) => [entry.name, round(entry.duration)]));
    const record: Record<string, unknown> = {
      ...request,
      duration: round(total),
      threshold: settings.slowThreshold,
      timings,
    };
    if (record.route === undefined) delete record.route;
    if (settings.eventLoop !== undefined) record.eventLoopDelayP99 = round(settings.eventLoop.p99());
    settings.logger.warn(record, 'slow request');
  }
}

// RFC 7230 token characters only; anything else becomes "_".
function token(name: string): string {
  return name.replace(/[^A-Za-z0-9!#$%&'*+.^_`|~-]/g, '_') || '_';
}

function round(milliseconds: number): number {
  return Math.round(milliseconds * 100) / 100;
}
