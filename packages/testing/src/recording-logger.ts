// A pino-shaped Logger that records instead of writing: for asserting what code under test logged.
import { format } from 'node:util';
import { TestingError } from './errors.js';

/** The levels pino has, lowest first. */
export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';

const LEVELS: readonly LogLevel[] = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'];

/** One recorded line: its level, message, the child bindings and the logged object's fields. */
export interface LogEntry {
  level: LogLevel;
  msg: string | undefined;
  /** Present when an Error was logged (first argument, or an `err` field), as pino names it. */
  err?: Error;
  [field: string]: unknown;
}

/** pino's call signatures: `(msg, ...args)` or `(object | Error, msg?, ...args)`. */
export type LogMethod = {
  (msg: string, ...args: unknown[]): void;
  (object: object, msg?: string, ...args: unknown[]): void;
};

/** The recording logger: the seam's methods plus what a test reads. */
export interface RecordingLogger {
  trace: LogMethod;
  debug: LogMethod;
  info: LogMethod;
  warn: LogMethod;
  error: LogMethod;
  fatal: LogMethod;
  /** The minimum level recorded. */
  level: LogLevel;
  isLevelEnabled(level: LogLevel): boolean;
  /** A logger whose lines also carry `bindings`, recording into the same list. */
  child(bindings: Record<string, unknown>): RecordingLogger;
  /** Every recorded line, from this logger and its children, in order. */
  readonly entries: readonly LogEntry[];
  /** The recorded lines at `level` (and matching `msg` when given). */
  find(level: LogLevel, msg?: string | RegExp): LogEntry[];
  /** Forgets every line. */
  clear(): void;
}

/** Options of recordingLogger(). */
export interface RecordingLoggerOptions {
  /** Minimum level recorded (default `trace`: everything). */
  level?: LogLevel;
  /** Fields on every line. */
  bindings?: Record<string, unknown>;
}

function toEntry(level: LogLevel, bindings: Record<string, unknown>, args: unknown[]): LogEntry {
  const [first, ...rest] = args;
  if (typeof first === 'string' || first === undefined) {
    return { ...bindings, level, msg: first === undefined ? undefined : format(first, ...rest) };
  }
  const [msg, ...params] = rest;
  const message = typeof msg === 'string' ? format(msg, ...params) : undefined;
  if (first instanceof Error) {
    // pino: an Error as the object is logged under `err`, its message as msg when none is given.
    return { ...bindings, level, err: first, msg: message ?? first.message };
  }
  return { ...bindings, ...(first as Record<string, unknown>), level, msg: message };
}

function make(
  state: { entries: LogEntry[]; level: LogLevel },
  bindings: Record<string, unknown>,
): RecordingLogger {
  const enabled = (level: LogLevel) => LEVELS.indexOf(level) >= LEVELS.indexOf(state.level);
  const method =
    (level: LogLevel): LogMethod =>
    (...args: unknown[]) => {
      if (enabled(level)) state.entries.push(toEntry(level, bindings, args));
    };
  return {
    trace: method('trace'),
    debug: method('debug'),
    info: method('info'),
    warn: method('warn'),
    error: method('error'),
    fatal: method('fatal'),
    get level() {
      return state.level;
    },
    set level(level: LogLevel) {
      state.level = level;
    },
    isLevelEnabled: enabled,
    child: (more) => make(state, { ...bindings, ...more }),
    get entries() {
      return state.entries;
    },
    find: (level, msg) =>
      state.entries.filter(
        (entry) =>
          entry.level === level &&
          (msg === undefined || (typeof msg === 'string' ? entry.msg === msg : msg.test(entry.msg ?? ''))),
      ),
    clear: () => {
      state.entries.length = 0;
    },
  };
}

/**
 * A pino-shaped Logger (trace/debug/info/warn/error/fatal, child) that records every line.
 *
 * @example
 * const logger = recordingLogger();
 * await service.run({ logger });
 * expect(logger.find('warn', /retrying/)).toHaveLength(1);
 */
export function recordingLogger(options: RecordingLoggerOptions = {}): RecordingLogger {
  const level = options.level ?? 'trace';
  if (!LEVELS.includes(level)) {
    throw new TestingError(
      'ERR_TESTING_INVALID_OPTION',
      `recordingLogger: level must be one of ${LEVELS.join(', ')}, got ${JSON.stringify(level)}.`,
    );
  }
  return make({ entries: [], level }, { ...options.bindings });
}
