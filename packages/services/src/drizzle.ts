// @plinth/services/drizzle: the drizzle TransactionRunner, the transactional outbox and its relay,
// idempotent commands. Needs drizzle-orm (an optional peer of the root entry).
export { type DrizzleHandle, type DrizzleRunnerOptions, drizzleRunner } from './drivers/drizzle.js';
export { createIdempotency, idempotencyTableSql } from './idempotency.js';
export type { Idempotency, IdempotencyOptions, IdempotentRunOptions } from './idempotency-key.js';
export {
  createOutbox,
  type Outbox,
  type OutboxEvent,
  type OutboxTableOptions,
  outboxTableSql,
} from './outbox.js';
export {
  createOutboxRelay,
  defaultRetryDelay,
  type OutboxRelay,
  type OutboxRelayOptions,
  type RelayBatch,
  type RelayDatabase,
} from './relay.js';
export type { SqlExecutor } from './sql-statement.js';
