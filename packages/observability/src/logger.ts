// The logging seam: the few pino methods this package calls, so any pino-compatible logger fits.

/** A pino-style log method: `log(obj, msg)` or `log(msg)`. */
export interface LogFn {
  (obj: object, msg?: string): void;
  (msg: string): void;
}

/**
 * The logger shape every middleware here accepts. A pino `Logger` satisfies it as is; so does any
 * logger with these methods. `child` must return a logger whose lines carry the given bindings.
 */
export interface Logger {
  fatal?: LogFn;
  error: LogFn;
  warn: LogFn;
  info: LogFn;
  debug: LogFn;
  /** A logger whose every line also carries `bindings`. */
  child(bindings: Record<string, unknown>): Logger;
}
