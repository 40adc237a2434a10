// @plinth/services: ambient transactions, typed domain errors and Result, domain events after commit.
export { assertNever, DomainError, type ErrorHandlers, isDomainError, matchError } from './domain-error.js';
export { type MemoryStore, memoryRunner } from './drivers/memory.js';
export { memoryIdempotency } from './drivers/memory-idempotency.js';
export { type MemorySink, memorySink } from './drivers/memory-sink.js';
export { ServicesError, type ServicesErrorCode } from './errors.js';
export type { EventHandler } from './event-bus.js';
export type { EventSink, OutboxMessage } from './event-sink.js';
export { DomainHttpError, type HttpMapping, type HttpStatusMap, httpErrorMapping } from './http-error.js';
export type { Idempotency, IdempotencyOptions, IdempotentRunOptions } from './idempotency-key.js';
export { type Err, err, type Ok, ok, type Result, unwrap } from './result.js';
export type { TransactionOptions, TransactionRunner } from './transaction-runner.js';
export {
  createTransactions,
  type Propagation,
  type TransactionalOptions,
  type Transactions,
  type TransactionsOptions,
} from './transactions.js';
export type { AfterCommitHook, DomainEvent } from './unit-of-work.js';
