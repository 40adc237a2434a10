// A Logger that keeps its lines, for asserting on what shutdown said.
import type { Logger } from '../../src/index.js';

/** A captured log line. */
export interface LogLine {
  level: 'info' | 'warn' | 'error';
  fields: object;
  message: string | undefined;
}

/** Creates a logger whose lines land in `lines`. */
export function captureLogger(): Logger & { lines: LogLine[] } {
  const lines: LogLine[] = [];
  const write = (level: LogLine['level']) => (fields: object, message?: string) => {
    lines.push({ level, fields, message });
  };
  return { lines, info: write('info'), warn: write('warn'), error: write('error') };
}
