export { type CursorCodec, type CursorPosition, createCursorCodec } from './cursor.js';
export {
  createDatabase,
  type Database,
  type DatabaseExtras,
  type DatabaseOptions,
} from './database.js';
export {
  type ConstraintDetails,
  type ConstraintKind,
  ConstraintViolationError,
  DbError,
  type DbErrorCode,
  type DbErrorOptions,
  type DbUsageErrorCode,
  type DbWireCode,
  InvalidCursorError,
} from './errors.js';
export type { DatabaseCheck, HealthOptions } from './health.js';
export {
  type AppliedMigration,
  type MigrateOptions,
  type MigrateResult,
  type MigrationStatus,
  migrate,
  migrationStatus,
} from './migrate.js';
export {
  type KeysetPage,
  type KeysetPageOptions,
  keysetPage,
  type OffsetPage,
  type OffsetPageOptions,
  offsetPage,
  type Selectable,
} from './pagination.js';
export type { DbLogger, QueryLogOptions } from './query-log.js';
export { sqlStateOf } from './sql-state.js';
export { runTransaction, type TransactionOptions } from './transaction.js';
