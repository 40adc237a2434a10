// Driver errors made actionable: the SQLSTATE found anywhere in an error's cause chain, constraint
// violations as ConstraintViolationError, and a lost or unreachable server as ERR_DB_UNAVAILABLE —
// the same for postgres.js (`constraint_name`, `table_name`) and PGlite (`constraint`, `table`).
import { type ConstraintKind, ConstraintViolationError, DbError } from './errors.js';

/** The fields PostgreSQL sends with an error, as postgres.js or PGlite name them. */
interface DriverError {
  code?: unknown;
  detail?: unknown;
  constraint_name?: unknown;
  constraint?: unknown;
  table_name?: unknown;
  table?: unknown;
  schema_name?: unknown;
  schema?: unknown;
  column_name?: unknown;
  column?: unknown;
}

const sqlStatePattern = /^[0-9A-Z]{5}$/;

// drizzle's DrizzleQueryError, recognised by shape: its `name` is plain "Error", and a second copy of
// drizzle-orm (ESM next to CJS) would defeat `instanceof`.
const isDrizzleQueryError = (error: object): boolean =>
  typeof (error as { query?: unknown }).query === 'string' &&
  Array.isArray((error as { params?: unknown }).params);

/**
 * The first error of `error`'s cause chain (itself included) whose code passes `test`; at most 8 deep.
 * With `driverOnly`, the chain is followed only through drizzle's DrizzleQueryError, the wrapper it puts
 * around a driver error: an application error that keeps a constraint error as its `cause` (a domain
 * `EmailTaken`) is the app's answer and is never translated back into the constraint error.
 */
function findCoded(
  error: unknown,
  test: (code: string) => boolean,
  driverOnly = false,
): DriverError | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 8 && current !== null && typeof current === 'object'; depth++) {
    const code = (current as DriverError).code;
    if (typeof code === 'string' && test(code)) return current as DriverError;
    if (driverOnly && !isDrizzleQueryError(current)) return undefined;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** The PostgreSQL SQLSTATE (`23505`, `40001` ...) of an error or of any error it wraps. */
export function sqlStateOf(error: unknown): string | undefined {
  return findCoded(error, (code) => sqlStatePattern.test(code))?.code as string | undefined;
}

const constraintKinds: Record<string, ConstraintKind> = {
  '23505': 'unique',
  '23503': 'foreign-key',
  '23502': 'not-null',
  '23514': 'check',
  '23P01': 'exclusion',
};

// Socket and postgres.js codes meaning "the server is not there (any more)".
const connectionCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'CONNECT_TIMEOUT',
  'CONNECTION_CLOSED',
  'CONNECTION_DESTROYED',
  'CONNECTION_ENDED',
]);

// SQLSTATEs of a server that refused us or went away: class 08, shutdown, wrong database or login.
function isUnavailableState(state: string): boolean {
  return (
    state.startsWith('08') ||
    state === '57P01' ||
    state === '57P02' ||
    state === '57P03' ||
    state === '3D000' ||
    state === '28P01' ||
    state === '28000'
  );
}

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;

/** The columns named by PostgreSQL's detail, `Key (org_id, email)=(...) already exists.` */
function columnsFromDetail(detail: unknown): string[] {
  const match = typeof detail === 'string' ? /^Key \((.+?)\)=/.exec(detail) : null;
  return match ? match[1]!.split(', ').map((name) => name.replace(/^"|"$/g, '')) : [];
}

/** A ConstraintViolationError for a constraint error (class 23), else undefined. */
export function constraintViolation(error: unknown): ConstraintViolationError | undefined {
  const found = findCoded(error, (code) => code in constraintKinds, true);
  if (!found) return undefined;
  const column = text(found.column_name ?? found.column);
  return new ConstraintViolationError(
    {
      kind: constraintKinds[found.code as string]!,
      constraint: text(found.constraint_name ?? found.constraint),
      table: text(found.table_name ?? found.table),
      schema: text(found.schema_name ?? found.schema),
      columns: column ? [column] : columnsFromDetail(found.detail),
    },
    { cause: error },
  );
}

/** Whether the error means the database could not be reached or the connection was lost. */
export function isUnavailable(error: unknown): boolean {
  return (
    findCoded(
      error,
      (code) => connectionCodes.has(code) || (sqlStatePattern.test(code) && isUnavailableState(code)),
    ) !== undefined
  );
}

/** What went wrong reaching `target`, and what to check, as an ERR_DB_UNAVAILABLE error (503). */
export function unavailableError(error: unknown, target: string): DbError {
  const found = findCoded(
    error,
    (code) => connectionCodes.has(code) || (sqlStatePattern.test(code) && isUnavailableState(code)),
  );
  const code = String(found?.code ?? 'unknown');
  const hint =
    code === '3D000'
      ? 'the database does not exist: create it, or fix the database name in DATABASE_URL'
      : code === '28P01' || code === '28000'
        ? 'the server refused the login: fix the user or password in DATABASE_URL'
        : code === 'ENOTFOUND' || code === 'EAI_AGAIN'
          ? 'the host name does not resolve: fix the host in DATABASE_URL'
          : 'check DATABASE_URL and that PostgreSQL is running and reachable; a statement in flight when the connection was lost was rolled back if it ran in a transaction, and may or may not have been applied otherwise';
  return new DbError('ERR_DB_UNAVAILABLE', `The database at ${target} is unavailable (${code}): ${hint}.`, {
    status: 503,
    cause: error,
  });
}

/** The typed error for a driver error: a constraint violation, an unavailable server, or itself. */
export function translateError(error: unknown, target: string): unknown {
  if (error instanceof DbError) return error;
  return constraintViolation(error) ?? (isUnavailable(error) ? unavailableError(error, target) : error);
}
