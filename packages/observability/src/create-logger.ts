// createLogger: pino with production defaults, deep redaction on, and pino-pretty in development.
import {
  type DestinationStream,
  type Logger as PinoLogger,
  type LoggerOptions as PinoOptions,
  pino,
} from 'pino';
import { assertOption, ObservabilityError } from './errors.js';
import { loadOptional } from './optional-module.js';
import { createRedactor, type RedactOptions } from './redact.js';
import { allowRequestLine, REQUEST_LINE_KEYS } from './request-line.js';

/** Options of {@link createLogger}. */
export interface LoggerOptions {
  /** Minimum level; default `process.env.LOG_LEVEL`, else `info`. */
  level?: string;
  /** Added to every line as `name`. */
  name?: string;
  /** Human-readable output through pino-pretty; default `true` when `NODE_ENV=development`. */
  pretty?: boolean;
  /** Deep redaction of sensitive keys; `false` turns it off. Default on with {@link RedactOptions} defaults. */
  redact?: boolean | RedactOptions;
  /** Where lines go; default stdout (synchronous, so a fatal line is written before exit). */
  destination?: DestinationStream;
  /** Fields on every line; default `{ pid, hostname }`, `null` for none. */
  base?: Record<string, unknown> | null;
  /** Serializers by top-level key; `err` (pino's) is always there, and errors at any depth are serialized. */
  serializers?: Record<string, (value: never) => unknown>;
  /** Any other pino option, applied last. */
  pino?: PinoOptions;
}

const levels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

let stampedAt = Number.NaN;
let stamp = '';

/**
 * pino's `stdTimeFunctions.isoTime`, formatted once per millisecond: a busy server writes many lines in the
 * same millisecond, and `new Date().toISOString()` per line was 4% of a request (benchmark "request logging").
 */
function isoTime(): string {
  const now = Date.now();
  if (now !== stampedAt) {
    stampedAt = now;
    stamp = `,"time":"${new Date(now).toISOString()}"`;
  }
  return stamp;
}

/**
 * A pino logger with production defaults: JSON lines, ISO time, `err` serializer, level from
 * `LOG_LEVEL`, and sensitive keys censored at any depth.
 * @example
 * const log = createLogger({ name: 'api' });
 * log.info({ user: { id: 7, password: 'hunter2' } }, 'signed up'); // password: "[Redacted]"
 */
export function createLogger(options: LoggerOptions = {}): PinoLogger {
  const level = options.level ?? process.env.LOG_LEVEL ?? 'info';
  assertOption(
    levels.includes(level),
    `Log level "${level}"${options.level === undefined ? ' (from LOG_LEVEL)' : ''} is not one of ${levels.join(', ')}.`,
  );
  const explicitPretty = options.pretty;
  const wantsPretty = explicitPretty ?? process.env.NODE_ENV === 'development';

  const serializers: Record<string, (value: never) => unknown> = { ...options.serializers };
  const pinoOptions: PinoOptions = {
    level,
    timestamp: isoTime,
    serializers: { err: pino.stdSerializers.err, ...serializers },
  };
  if (options.name !== undefined) pinoOptions.name = options.name;
  if (options.base !== undefined) pinoOptions.base = options.base;

  let prepare: ((object: Record<string, unknown>) => Record<string, unknown>) | undefined;
  if (options.redact !== false) {
    const redact = createRedactor(options.redact === true ? {} : options.redact);
    const serializerEntries = Object.entries(serializers);
    const serializeThenRedact = (object: Record<string, unknown>): Record<string, unknown> => {
      let input = object;
      for (const [key, serialize] of serializerEntries) {
        if (input[key] !== undefined) {
          if (input === object) input = { ...object };
          input[key] = serialize(input[key] as never);
        }
      }
      return redact(input) as Record<string, unknown>;
    };
    // bench "logger lines/s": without custom serializers the formatter is the redactor alone.
    prepare =
      serializerEntries.length === 0
        ? (redact as (object: Record<string, unknown>) => Record<string, unknown>)
        : serializeThenRedact;
    // pino runs formatters before its serializers; we serialize inside the formatter so the walk sees
    // the serialized shape, then tell pino's `err` serializer to leave the result alone.
    pinoOptions.serializers = { err: passThrough };
    pinoOptions.formatters = { log: prepare, bindings: prepare };
  }
  Object.assign(pinoOptions, options.pino);

  const build = (stream: DestinationStream) => redactChildren(pino(pinoOptions, stream), prepare);
  if (!wantsPretty) {
    const logger = build(options.destination ?? pino.destination({ dest: 1, sync: true }));
    // The request line as a string (request-line.ts) only where we know every option that shapes it.
    if (options.pino === undefined && !REQUEST_LINE_KEYS.some((key) => Object.hasOwn(serializers, key))) {
      allowRequestLine(logger, prepare);
    }
    return logger;
  }
  const stream = prettyStream(options.destination);
  if (stream !== undefined) return build(stream);
  if (explicitPretty === true) {
    throw new ObservabilityError(
      'ERR_OBSERVABILITY_PRETTY_UNAVAILABLE',
      'createLogger({ pretty: true }) needs pino-pretty: run `pnpm add -D pino-pretty`, or pass pretty: false.',
    );
  }
  const logger = build(options.destination ?? pino.destination({ dest: 1, sync: true }));
  logger.warn(
    'NODE_ENV=development but pino-pretty is not installed; logging JSON. Run `pnpm add -D pino-pretty`.',
  );
  return logger;
}

// pino applies `formatters.bindings` to the root's bindings only, never to a child's: so the root's own
// `child` and `setBindings` censor their bindings first. Children are `Object.create(parent)`, so they
// inherit both, at every generation.
function redactChildren(
  logger: PinoLogger,
  prepare: ((object: Record<string, unknown>) => Record<string, unknown>) | undefined,
): PinoLogger {
  if (prepare === undefined) return logger;
  const { child, setBindings } = logger;
  const target = logger as unknown as Record<
    'child' | 'setBindings',
    (this: PinoLogger, ...args: unknown[]) => unknown
  >;
  target.child = function (this: PinoLogger, bindings: unknown, ...rest: unknown[]) {
    return (child as (...args: unknown[]) => unknown).call(this, prepareBindings(bindings, prepare), ...rest);
  };
  target.setBindings = function (this: PinoLogger, bindings: unknown) {
    return (setBindings as (...args: unknown[]) => unknown).call(this, prepareBindings(bindings, prepare));
  };
  return logger;
}

function prepareBindings(
  bindings: unknown,
  prepare: (object: Record<string, unknown>) => Record<string, unknown>,
): unknown {
  return typeof bindings === 'object' && bindings !== null
    ? prepare(bindings as Record<string, unknown>)
    : bindings;
}

function passThrough(value: unknown): unknown {
  return value;
}

type PrettyFactory = (options: Record<string, unknown>) => DestinationStream;

function prettyStream(destination: DestinationStream | undefined): DestinationStream | undefined {
  const pretty = loadOptional<PrettyFactory>('pino-pretty');
  if (pretty === undefined) return undefined;
  return pretty({
    colorize: destination === undefined && process.stdout.isTTY === true,
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: 'pid,hostname',
    sync: true,
    destination: destination ?? 1,
  });
}
