// Test scaffolding: a createLogger() whose lines are captured as parsed JSON objects.
import type { Logger as PinoLogger } from 'pino';
import { createLogger, type LoggerOptions } from '../src/create-logger.js';

/** A logger writing into memory, and the lines it wrote. */
export interface CapturedLogger {
  logger: PinoLogger;
  lines: () => Record<string, unknown>[];
}

/** A real createLogger() (redaction on) whose destination is an array of lines. */
export function captureLogger(options: LoggerOptions = {}): CapturedLogger {
  const chunks: string[] = [];
  const logger = createLogger({
    base: null,
    level: 'trace',
    ...options,
    destination: { write: (chunk: string) => chunks.push(chunk) },
  });
  return {
    logger,
    lines: () =>
      chunks
        .join('')
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}
