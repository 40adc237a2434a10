// The errors @plinth/db throws: one base class whose `code` narrows in a `switch`, shaped as HTTP
// errors (status, expose) so an HTTP layer answers them without parsing messages.

/** Client failures an HTTP layer may show: their codes go on the wire as the problem `code`. */
export type DbWireCode =
  | 'UNIQUE_VIOLATION'
  | 'FOREIGN_KEY_VIOLATION'
  | 'NOT_NULL_VIOLATION'
  | 'CHECK_VIOLATION'
  | 'EXCLUSION_VIOLATION'
  | 'INVALID_CURSOR'
  | 'INVALID_PAGINATION';

/** Server-side failures: status 500 or 503, never exposed; the code stays on the error for logs. */
export type DbUsageErrorCode =
  | 'ERR_DB_INVALID_OPTION'
  | 'ERR_DB_INVALID_URL'
  | 'ERR_DB_DRIVER_MISSING'
  | 'ERR_DB_UNAVAILABLE'
  | 'ERR_DB_CLOSED'
  | 'ERR_DB_HEALTH_TIMEOUT'
  | 'ERR_DB_MIGRATION_GAP'
  | 'ERR_DB_MIGRATION_CHANGED'
  | 'ERR_DB_MIGRATION_MISSING'
  | 'ERR_DB_MIGRATION_LOCKED'
  | 'ERR_DB_MIGRATION_FAILED'
  | 'ERR_DB_TRANSACTION_RETRIES';

/** Every error code this package can throw; each is listed in the README. */
export type DbErrorCode = DbWireCode | DbUsageErrorCode;

/** Options of {@link DbError}. */
export interface DbErrorOptions {
  /** HTTP status; 500 by default. */
  status?: number;
  /** Whether the message may reach a client; defaults to `status < 500`. */
  expose?: boolean;
  /** The underlying driver error, kept for logs. */
  cause?: unknown;
}

/**
 * The base class of every error thrown by @plinth/db; branch on `code`. It follows the http-errors
 * convention: `status` and `expose` tell an HTTP error handler how to answer.
 */
export class DbError extends Error {
  /** A stable, unique code: a wire code (`UNIQUE_VIOLATION`) or `ERR_DB_<WHAT>`. */
  readonly code: DbErrorCode;
  /** The HTTP status an HTTP layer answers with. */
  readonly status: number;
  /** Whether `message` may reach the client. */
  readonly expose: boolean;

  constructor(code: DbErrorCode, message: string, options: DbErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'DbError';
    this.code = code;
    this.status = options.status ?? 500;
    this.expose = options.expose ?? this.status < 500;
  }
}

/** Which kind of constraint a write violated. */
export type ConstraintKind = 'unique' | 'foreign-key' | 'not-null' | 'check' | 'exclusion';

/** What PostgreSQL told about the violated constraint. */
export interface ConstraintDetails {
  kind: ConstraintKind;
  /** The constraint's name, e.g. `users_email_unique` (not-null violations have none). */
  constraint: string | undefined;
  /** The table the write went to. */
  table: string | undefined;
  /** The table's schema. */
  schema: string | undefined;
  /** The columns of the constraint, when known from the schema or PostgreSQL's detail. */
  columns: readonly string[];
}

const constraintCodes: Record<ConstraintKind, DbWireCode> = {
  unique: 'UNIQUE_VIOLATION',
  'foreign-key': 'FOREIGN_KEY_VIOLATION',
  'not-null': 'NOT_NULL_VIOLATION',
  check: 'CHECK_VIOLATION',
  exclusion: 'EXCLUSION_VIOLATION',
};

// A conflict with rows already stored is 409; a row that is itself invalid is 400.
const constraintStatus: Record<ConstraintKind, number> = {
  unique: 409,
  'foreign-key': 409,
  exclusion: 409,
  'not-null': 400,
  check: 400,
};

/**
 * A write violated a constraint. Exposed (409 for unique, foreign key and exclusion; 400 for not
 * null and check), with the constraint, table and columns as properties; the message names them
 * but never the row's values.
 */
export class ConstraintViolationError extends DbError implements ConstraintDetails {
  readonly kind: ConstraintKind;
  readonly constraint: string | undefined;
  readonly table: string | undefined;
  readonly schema: string | undefined;
  readonly columns: readonly string[];
  /** The first column, for the common single-column constraint. */
  readonly column: string | undefined;

  constructor(details: ConstraintDetails, options: { cause?: unknown } = {}) {
    super(constraintCodes[details.kind], describeViolation(details), {
      status: constraintStatus[details.kind],
      expose: true,
      cause: options.cause,
    });
    this.name = 'ConstraintViolationError';
    this.kind = details.kind;
    this.constraint = details.constraint;
    this.table = details.table;
    this.schema = details.schema;
    this.columns = details.columns;
    this.column = details.columns[0];
  }
}

function describeViolation({ kind, constraint, table, columns }: ConstraintDetails): string {
  const where = `${table ?? 'the table'}${columns.length > 0 ? `.${columns.join(', ')}` : ''}`;
  const named = constraint ? ` "${constraint}"` : '';
  switch (kind) {
    case 'unique':
      return `A row with the same ${where} already exists (unique constraint${named}).`;
    case 'foreign-key':
      return `${where} refers to a row that does not exist, or the row is still referenced (foreign key${named}).`;
    case 'not-null':
      return `${where} must not be null.`;
    case 'check':
      return `The row does not satisfy check constraint${named} on ${where}.`;
    case 'exclusion':
      return `The row conflicts with an existing row of ${where} (exclusion constraint${named}).`;
  }
}

/** A cursor that was edited, truncated, or signed with another secret: 400, exposed. */
export class InvalidCursorError extends DbError {
  constructor(reason: string) {
    super(
      'INVALID_CURSOR',
      `The cursor is not valid (${reason}); pass a cursor exactly as a previous page returned it, or omit it to start from the first page.`,
      { status: 400, expose: true },
    );
    this.name = 'InvalidCursorError';
  }
}
