// `ctx.state.log` of the fetch middleware: a logger that makes the request's child logger on its first line.
// A plain data property holding this small object replaces an accessor defined per request: benchmark
// "request logging" (fetch middleware case), where Object.defineProperty on each request's state cost more
// than a microsecond (a new accessor pair per object, so no shared hidden class).
import type { RequestContext } from './context.js';
import type { Logger } from './logger.js';

type Level = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';

/** Internal: a {@link Logger} that writes through the request's child logger (`context.log`, made on first use). */
export class RequestLog implements Logger {
  readonly #context: RequestContext;

  constructor(context: RequestContext) {
    this.#context = context;
  }

  #write(level: Level, args: unknown[]): void {
    const logger = this.#context.log as unknown as Record<Level, ((...args: unknown[]) => void) | undefined>;
    logger[level]?.apply(logger, args);
  }

  fatal(...args: unknown[]): void {
    this.#write('fatal', args);
  }

  error(...args: unknown[]): void {
    this.#write('error', args);
  }

  warn(...args: unknown[]): void {
    this.#write('warn', args);
  }

  info(...args: unknown[]): void {
    this.#write('info', args);
  }

  debug(...args: unknown[]): void {
    this.#write('debug', args);
  }

  trace(...args: unknown[]): void {
    this.#write('trace', args);
  }

  child(bindings: Record<string, unknown>): Logger {
    return this.#context.log.child(bindings);
  }

  /** Whether a line at `level` would be written (pino's `isLevelEnabled`, when the logger has it). */
  isLevelEnabled(level: string): boolean {
    const logger = this.#context.log as Logger & { isLevelEnabled?: (level: string) => boolean };
    return logger.isLevelEnabled?.(level) ?? true;
  }

  /** The request's child logger itself (a pino Logger when the middleware was given one). */
  get logger(): Logger {
    return this.#context.log;
  }
}
