// @plinth/jobs: typed background jobs over a QueueDriver (memory here; Redis and PostgreSQL by subpath).
export { type Backoff, backoffDelay } from './backoff.js';
export { type CronExpression, nextCronTime, parseCron } from './cron.js';
export type {
  AddOptions,
  AddResult,
  ClaimedJob,
  ClaimOptions,
  CompleteAndClaimResult,
  Completion,
  FailOutcome,
  JobCounts,
  JobKey,
  JobRecord,
  JobState,
  NewJob,
  PruneOptions,
  QueueDriver,
} from './driver.js';
export { type MemoryDriverOptions, memoryDriver } from './drivers/memory.js';
export { InvalidPayloadError, JobsError, type JobsErrorCode, type PayloadIssue } from './errors.js';
export type { WorkerEvents } from './events.js';
export {
  type AnyJobDefinition,
  defineJob,
  type JobContext,
  type JobDefinition,
  type JobDefinitionOptions,
  type JobInput,
} from './job.js';
export {
  createQueue,
  type Enqueued,
  type EnqueueOptions,
  type Queue,
  type QueueOptions,
  type RemoveOnComplete,
} from './queue.js';
export { createScheduler, type Schedule, type Scheduler, type SchedulerOptions } from './schedule.js';
export type { StandardSchemaV1 } from './standard-schema.js';
export { createWorker, type Worker, type WorkerOptions } from './worker.js';
