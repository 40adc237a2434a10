// The request's one log line, written as a string when the logger is one createLogger made: the same bytes
// pino's generic path writes for that line, without its per-key loop, the redaction pass and the line object.
import { tracingChannel } from 'node:diagnostics_channel';
import { type Logger as PinoLogger, pino } from 'pino';

/** The levels the request line is written at. */
export type RequestLineLevel = 'info' | 'warn' | 'error';

const levelValues: Record<RequestLineLevel, number> = { info: 30, warn: 40, error: 50 };

/** The keys of the request line, in the order it writes them (request-scope.ts `finish`). */
export const REQUEST_LINE_KEYS = [
  'requestId',
  'traceId',
  'spanId',
  'method',
  'route',
  'path',
  'status',
  'durationMs',
  'aborted',
] as const;

const {
  chindingsSym,
  endSym,
  hooksSym,
  lsCacheSym,
  messageKeySym,
  mixinSym,
  needsMetadataGsym,
  nestedKeySym,
  streamSym,
  timeSym,
} = pino.symbols;

// pino 10 wraps its JSON step in this diagnostics channel; a subscriber must see every line, so the string
// path steps aside while one listens (pino's own test: `hasSubscribers === false`).
const asJsonChannel = tracingChannel('pino_asJson') as { hasSubscribers?: boolean };

// A string pino writes as `"` + value + `"`: printable ASCII without `"` and `\` (its asString, and
// JSON.stringify on Node 25, add nothing to those). Anything else takes pino's own path.
const plainString = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

/** The log methods of a logger as createLogger returned them; a replaced one (a spy, a new level) means "not ours". */
type Methods = Record<RequestLineLevel, unknown>;
const eligible = new WeakMap<object, Methods>();

/**
 * Internal (createLogger): lets {@link writeRequestLine} write `logger`'s request lines itself. Only for a
 * logger whose configuration it knows: createLogger's defaults with no `pino` overrides, no serializer for a
 * request-line key, and a redaction rule that leaves every request-line key alone (`prepare` is that rule).
 */
export function allowRequestLine(
  logger: PinoLogger,
  prepare: ((object: Record<string, unknown>) => Record<string, unknown>) | undefined,
): void {
  // What createLogger's options cannot show: a pino patched at load (instrumentation adding a mixin or hooks).
  const internals = logger as unknown as Record<symbol, unknown>;
  const hooks = internals[hooksSym] as Record<string, unknown> | undefined;
  if (
    internals[mixinSym] !== undefined ||
    hooks?.logMethod !== undefined ||
    hooks?.streamWrite !== undefined ||
    internals[messageKeySym] !== 'msg' ||
    internals[nestedKeySym] !== null
  ) {
    return;
  }
  if (prepare !== undefined) {
    const sample: Record<string, unknown> = {};
    for (const key of REQUEST_LINE_KEYS) sample[key] = key === 'aborted' ? true : 'x';
    // The redactor returns its input itself when it censored nothing: every key is harmless by the rule.
    if (prepare(sample) !== sample) return;
  }
  eligible.set(logger, { info: logger.info, warn: logger.warn, error: logger.error });
}

/**
 * Writes the request line the way `logger[level]({ requestId, traceId, spanId, method, route, path, status,
 * durationMs, aborted }, message)` would, byte for byte, and returns `true`; returns `false` (having written
 * nothing) when it cannot promise that, and the caller then makes that call. Benchmark: callgrind instructions
 * per request of the composed stack (README, "What the benchmark made us change").
 */
export function writeRequestLine(
  logger: object,
  level: RequestLineLevel,
  message: string,
  requestId: string,
  traceId: string | undefined,
  spanId: string | undefined,
  method: string,
  route: string | undefined,
  path: string,
  status: number,
  durationMs: number,
  aborted: boolean,
): boolean {
  const methods = eligible.get(logger);
  if (methods === undefined) return false;
  const target = logger as PinoLogger & Record<symbol, unknown>;
  const value = levelValues[level];
  // A disabled level, a method replaced since (a spy, a level set again), a stream that wants pino's metadata
  // (multistream), or a diagnostics subscriber: pino's path.
  if (target.levelVal > value || target[level] !== methods[level]) return false;
  const stream = target[streamSym] as { write(line: string): unknown } & Record<symbol, unknown>;
  if (stream[needsMetadataGsym] === true || asJsonChannel.hasSubscribers !== false) return false;
  if (
    !plainString.test(requestId) ||
    !plainString.test(method) ||
    !plainString.test(path) ||
    (route !== undefined && !plainString.test(route)) ||
    (traceId !== undefined && !plainString.test(traceId)) ||
    (spanId !== undefined && !plainString.test(spanId)) ||
    !Number.isFinite(status) ||
    !Number.isFinite(durationMs)
  ) {
    return false;
  }
  // pino's write(): level and time first, then the bindings, then the object's keys in order (undefined
  // ones left out), then the message and the end of line.
  const time = (target[timeSym] as () => string)();
  let line = `${(target[lsCacheSym] as Record<number, string>)[value]}${time}${target[chindingsSym] as string},"requestId":"${requestId}"`;
  if (traceId !== undefined) line += `,"traceId":"${traceId}"`;
  if (spanId !== undefined) line += `,"spanId":"${spanId}"`;
  line += `,"method":"${method}"`;
  if (route !== undefined) line += `,"route":"${route}"`;
  line += `,"path":"${path}","status":${status},"durationMs":${durationMs}`;
  if (aborted) line += ',"aborted":true';
  line += `,"msg":"${message}"${target[endSym] as string}`;
  stream.write(line);
  return true;
}
