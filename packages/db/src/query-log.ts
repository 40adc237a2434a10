// Query logging through a pino-shaped logger: the statement's name, its duration and its SQL text;
// parameters (user data, secrets) only when asked for.

/** The part of a pino (or @plinth/observability) logger the query log calls. */
export interface DbLogger {
  debug(object: object, message?: string): void;
  info(object: object, message?: string): void;
  warn(object: object, message?: string): void;
  trace?(object: object, message?: string): void;
}

/** How queries are logged. */
export interface QueryLogOptions {
  /** The level of a successful query's line; default `debug`. */
  level?: 'trace' | 'debug' | 'info';
  /** Also log the parameters. Default false: they hold user data and secrets. */
  parameters?: boolean;
  /** A query taking at least this many milliseconds is logged at `warn`. Default: never. */
  slowQueryMs?: number;
}

/** What one executed query reports. */
export interface QueryEvent {
  /** The prepared statement's name (`.prepare('name')`), else the verb and table, e.g. `select users`. */
  statement: string;
  sql: string;
  params: readonly unknown[];
  /** Milliseconds from sending to the result (or error). */
  durationMs: number;
  /** The SQLSTATE or driver code of a failed query. */
  errorCode?: string | undefined;
}

const names = new Map<string, string>();
const table = String.raw`("(?:[^"]|"")+"(?:\."(?:[^"]|"")+")?|[\w.]+)`;
const writePattern = new RegExp(String.raw`^\s*(insert\s+into|update|delete\s+from)\s+${table}`, 'i');
const fromPattern = new RegExp(String.raw`\bfrom\s+${table}`, 'i');

function nameOf(sql: string): string {
  const write = writePattern.exec(sql);
  if (write) return `${write[1]!.split(/\s/, 1)[0]!.toLowerCase()} ${write[2]!.replace(/"/g, '')}`;
  const verb = (sql.trim().split(/\s/, 1)[0] ?? '').toLowerCase();
  const from = verb === 'select' || verb === 'with' ? fromPattern.exec(sql) : null;
  return from ? `select ${from[1]!.replace(/"/g, '')}` : verb;
}

/** The statement name of `sql`: its verb and first table (`insert users`, `select users`), cached by text. */
export function statementName(sql: string): string {
  let name = names.get(sql);
  if (name !== undefined) return name;
  name = nameOf(sql);
  // Statements are few (the app's queries); the bound only guards against SQL built from data.
  if (names.size >= 1000) names.clear();
  names.set(sql, name);
  return name;
}

/** Writes one query's line at the configured level, at `warn` when it failed or was slow. */
export function logQuery(logger: DbLogger, options: QueryLogOptions, event: QueryEvent): void {
  const line: Record<string, unknown> = {
    statement: event.statement,
    durationMs: Math.round(event.durationMs * 1000) / 1000,
    sql: event.sql,
  };
  if (options.parameters) line.params = event.params;
  if (event.errorCode !== undefined) {
    line.errorCode = event.errorCode;
    logger.warn(line, 'query failed');
    return;
  }
  if (options.slowQueryMs !== undefined && event.durationMs >= options.slowQueryMs) {
    logger.warn(line, 'slow query');
    return;
  }
  const level = options.level ?? 'debug';
  if (level === 'trace') logger.trace?.(line, 'query');
  else logger[level](line, 'query');
}
