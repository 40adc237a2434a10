// @plinth/testing: in-process requests, factories, database isolation, eventually, seam doubles.

export type { ContractTestApi, SkippableContext } from './contract-api.js';
export { CookieJar, parseSetCookie, type ResponseCookie } from './cookie-jar.js';
export { TestingError, type TestingErrorCode } from './errors.js';
export { type EventSinkFixture, testEventSink } from './event-sink-contract.js';
export { type EventuallyOptions, eventually } from './eventually.js';
export {
  type Association,
  association,
  defineFactory,
  type Factory,
  type FactoryContext,
  type FactoryDefinition,
  type Fields,
  type Overrides,
  type Resolved,
  type Unwrap,
} from './factory.js';
export { createInjector, type InjectOptions, type Injector, inject } from './inject.js';
export type { InjectBody, InjectRequest } from './inject-request.js';
export { InjectResponse } from './inject-response.js';
export type { FastifyLike, FetchHandler, InjectTarget, NodeServerLike } from './inject-target.js';
export {
  type DrizzleLike,
  type Isolated,
  type IsolatedOf,
  isolate,
  type PGliteIsolated,
  type PGliteLike,
  type PostgresIsolated,
  type PostgresLike,
  withRollback,
} from './isolation.js';
export { type LoggedLine, type LoggerFixture, testLogger } from './logger-contract.js';
export type { NodeHandler } from './node-exchange.js';
export { type MigratedDataDirOptions, migratedDataDir, type PGliteDumpable } from './pglite-data-dir.js';
export {
  type Broker,
  type BrokerListener,
  type PublishedMessage,
  type RecordingBroker,
  type RecordingBrokerOptions,
  recordingBroker,
} from './recording-broker.js';
export {
  type EventSink,
  type OutboxMessage,
  type RecordingEventSink,
  recordingEventSink,
} from './recording-event-sink.js';
export {
  type LogEntry,
  type LogLevel,
  type LogMethod,
  type RecordingLogger,
  type RecordingLoggerOptions,
  recordingLogger,
} from './recording-logger.js';
export {
  type ClaimedJobLike,
  type DrainedJob,
  type DrainOptions,
  type NewJobLike,
  type QueueDriverLike,
  type QueueRecording,
  type RecordedAdd,
  type RecordingQueueDriver,
  recordingQueueDriver,
} from './recording-queue-driver.js';
export {
  type ConsumeResult,
  type RecordingTokenStore,
  type RefreshRecord,
  recordingTokenStore,
  type StoredToken,
  type TokenStore,
} from './recording-token-store.js';
export {
  type AdminSql,
  type WorkerDatabase,
  type WorkerDatabaseOptions,
  workerDatabase,
} from './worker-database.js';
