// The logger seam: a pino-compatible shape, and a minimal JSON-lines default on the console.

/** A pino-compatible logger: `logger.info({ fields }, 'message')`. Pass your pino instance. */
export interface Logger {
  /** Logs progress (a signal received, a phase finished). */
  info(fields: object, message?: string): void;
  /** Logs something that went wrong but did not stop the shutdown. */
  warn(fields: object, message?: string): void;
  /** Logs a failure: a check threw, a resource did not close in time. */
  error(fields: object, message?: string): void;
}

// pino's numeric levels, so these lines sort and filter alongside pino's.
const levels = { info: 30, warn: 40, error: 50 } as const;

/** A minimal JSON-lines logger on stdout (info) and stderr (warn, error), pino-style fields. */
export function createConsoleLogger(): Logger {
  const write = (level: keyof typeof levels) => (fields: object, message?: string) => {
    const line = JSON.stringify({ level: levels[level], time: Date.now(), ...fields, msg: message });
    if (level === 'info') process.stdout.write(`${line}\n`);
    else process.stderr.write(`${line}\n`);
  };
  return { info: write('info'), warn: write('warn'), error: write('error') };
}
