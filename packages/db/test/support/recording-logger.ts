// A pino-shaped logger that keeps its lines, for asserting what the query log wrote.
export interface LogLine {
  level: string;
  object: Record<string, unknown>;
  message: string | undefined;
}

export function recordingLogger() {
  const lines: LogLine[] = [];
  const at =
    (level: string) =>
    (object: object, message?: string): void => {
      lines.push({ level, object: object as Record<string, unknown>, message });
    };
  return { lines, trace: at('trace'), debug: at('debug'), info: at('info'), warn: at('warn') };
}
