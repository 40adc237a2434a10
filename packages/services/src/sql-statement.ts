// The few SQL helpers the outbox, relay and idempotency store share: run a drizzle `sql` query on
// any handle and get rows back (postgres.js answers an array, PGlite `{ rows }`), quote a table
// name, and read the SQLSTATE of a failure through drizzle's wrapping.
import { type SQL, sql } from 'drizzle-orm';
import { ServicesError } from './errors.js';

/** The part of a drizzle database or transaction these helpers call. */
export interface SqlExecutor {
  execute(query: SQL): PromiseLike<unknown>;
}

/** Runs `query` on `handle` and returns its rows, whichever driver answers. */
export async function queryRows<Row>(handle: SqlExecutor, query: SQL): Promise<Row[]> {
  const result = await handle.execute(query);
  if (Array.isArray(result)) return result as Row[];
  return ((result as { rows?: Row[] }).rows ?? []) as Row[];
}

const identifier = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/** `schema.table` or `table`, validated and quoted: `"schema"."table"`. */
export function quoteTable(option: string, name: string): string {
  const parts = typeof name === 'string' ? name.split('.') : [];
  if (parts.length < 1 || parts.length > 2 || !parts.every((part) => identifier.test(part))) {
    throw new ServicesError(
      'ERR_SERVICES_INVALID_OPTION',
      `${option} must be a table name like "plinth_outbox" or "app.plinth_outbox" (letters, digits, _), got ${JSON.stringify(name)}.`,
    );
  }
  return parts.map((part) => `"${part}"`).join('.');
}

/** `schema.table` or `table`, validated and quoted, for interpolation into `sql`. */
export function tableIdentifier(option: string, name: string): SQL {
  return sql.raw(quoteTable(option, name));
}

/** The SQLSTATE of a PostgreSQL error, looked for through `cause` (drizzle wraps driver errors). */
export function sqlStateOf(error: unknown): string | undefined {
  for (let current = error, depth = 0; current && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}
