// The reference app's background jobs: a notification when a task is assigned, a daily digest at
// 08:00 UTC, the queue they live in (memory, or Redis with REDIS_URL) and the worker that runs them.
import {
  createQueue as createJobQueue,
  createScheduler,
  createWorker,
  defineJob,
  memoryDriver,
  type Queue,
  type Scheduler,
  type Worker,
} from '@plinth/jobs';
import { redisDriver } from '@plinth/jobs/redis';
import type { Logger } from '@plinth/observability';
import { Redis } from 'ioredis';
import { z } from 'zod';

/** The payload of `notify-assignee`, checked at enqueue (a bad one is never stored). */
export const notifyAssigneePayload = z.object({
  /** The outbox event id: one notification per event, however often the event is delivered. */
  eventId: z.string().min(1),
  teamId: z.string().min(1),
  taskId: z.string().min(1),
  title: z.string(),
  assigneeId: z.string().min(1),
  actorId: z.string().min(1).nullable(),
});
export type AssignmentNotification = z.infer<typeof notifyAssigneePayload>;

/** What the digest of one window holds: per assignee, the tasks they were given. */
export interface DailyDigest {
  readonly from: string;
  readonly to: string;
  readonly assignees: ReadonlyArray<{ assigneeId: string; tasks: Array<{ taskId: string; title: string }> }>;
}

/** Where notifications go. The default writes them to the log; give one that stores rows or sends mail. */
export interface Notifier {
  assigned(notification: AssignmentNotification, signal: AbortSignal): Promise<void>;
  digest(digest: DailyDigest, signal: AbortSignal): Promise<void>;
}

/** A Notifier that writes each notification as a log line (`notification: assigned` / `digest`). */
export function logNotifier(logger: Logger): Notifier {
  return {
    async assigned(notification) {
      logger.info({ notification }, 'notification: task assigned');
    },
    async digest(digest) {
      logger.info({ digest }, `notification: daily digest for ${digest.assignees.length} assignee(s)`);
    },
  };
}

/** The job names, as the outbox sink and the worker use them. */
export const jobNames = { notifyAssignee: 'notify-assignee', dailyDigest: 'daily-digest' } as const;

/** When the digest runs: 08:00 every day, UTC. */
export const dailyDigestCron = '0 8 * * *';

const dayMs = 24 * 60 * 60 * 1000;
// The digest scans at most this many completed jobs (the queue keeps completed jobs; see the README).
const digestScanLimit = 10_000;

/** The definitions; the digest reads the queue it runs on, known once the queue exists. */
function defineJobs(notifier: Notifier, queueOf: () => Queue) {
  const notifyAssignee = defineJob({
    name: jobNames.notifyAssignee,
    schema: notifyAssigneePayload,
    attempts: 5,
    timeoutMs: 30_000,
    handler: (payload, { signal }) => notifier.assigned(payload, signal),
  });
  const dailyDigest = defineJob({
    name: jobNames.dailyDigest,
    schema: z.object({}),
    attempts: 3,
    timeoutMs: 60_000,
    handler: async (_payload, { signal }) => {
      const to = Date.now();
      const digest = await collectDigest(queueOf(), to - dayMs, to);
      await notifier.digest(digest, signal);
      return { assignees: digest.assignees.length };
    },
  });
  return [notifyAssignee, dailyDigest];
}

/**
 * The assignments notified in (from, to], grouped by assignee: `to` is when the digest runs, so a
 * notification that finished in that same millisecond is in this digest (it was left out under [from, to):
 * a rare test failure), and the next window starts after it.
 */
async function collectDigest(queue: Queue, from: number, to: number): Promise<DailyDigest> {
  const byAssignee = new Map<string, Array<{ taskId: string; title: string }>>();
  for (let offset = 0; offset < digestScanLimit; offset += 500) {
    const page = await queue.list('completed', { limit: 500, offset });
    for (const job of page) {
      if (job.name !== jobNames.notifyAssignee || job.finishedAt === undefined) continue;
      if (job.finishedAt <= from || job.finishedAt > to) continue;
      const { assigneeId, taskId, title } = job.payload as AssignmentNotification;
      const tasks = byAssignee.get(assigneeId) ?? [];
      tasks.push({ taskId, title });
      byAssignee.set(assigneeId, tasks);
    }
    if (page.length < 500) break;
  }
  return {
    from: new Date(from).toISOString(),
    to: new Date(to).toISOString(),
    assignees: [...byAssignee].map(([assigneeId, tasks]) => ({ assigneeId, tasks })),
  };
}

/** Options of {@link createQueue}. */
export interface QueueConfig {
  /** Redis to keep jobs in, shared by web and worker processes; unset: memory (this process only). */
  readonly redisUrl?: string | undefined;
  /** Redis key prefix (tests use their own). Default `plinth:reference:jobs:`. */
  readonly prefix?: string;
  readonly logger: Logger;
  /** Default: {@link logNotifier}. */
  readonly notifier?: Notifier;
}

/** The app's queue and what closes it (the Redis connection it opened). */
export interface AppQueue {
  readonly queue: Queue;
  readonly driver: 'memory' | 'redis';
  close(): Promise<void>;
}

/**
 * The app's job queue: memory by default (jobs run in the web process), Redis with `redisUrl`
 * (any number of web processes enqueue, separate `worker` processes run them).
 *
 * @example
 * const jobs = createQueue({ redisUrl: process.env.REDIS_URL, logger });
 * await jobs.queue.enqueue('daily-digest', {});
 */
export function createQueue(config: QueueConfig): AppQueue {
  const notifier = config.notifier ?? logNotifier(config.logger.child({ component: 'notifications' }));
  let queue: Queue | undefined;
  const jobs = defineJobs(notifier, () => queue as Queue);
  if (!config.redisUrl) {
    const driver = memoryDriver();
    queue = createJobQueue({ driver, name: 'reference', jobs });
    return { queue, driver: 'memory', close: () => driver.close() };
  }
  const client = new Redis(config.redisUrl, { maxRetriesPerRequest: 3 });
  client.on('error', (error) =>
    config.logger.warn({ err: error }, 'jobs: Redis connection failed; reconnecting'),
  );
  const driver = redisDriver({ client, prefix: config.prefix ?? 'plinth:reference:jobs:' });
  queue = createJobQueue({ driver, name: 'reference', jobs });
  return {
    queue,
    driver: 'redis',
    async close() {
      await driver.close();
      await client.quit().catch(() => client.disconnect());
    },
  };
}

/** Options of {@link startJobs}. */
export interface JobsRunnerOptions {
  readonly logger: Logger;
  /** Jobs run at once by this process. Default 10. */
  readonly concurrency?: number;
  /** How long `close()` waits for jobs in flight before handing them back. Default 10000 ms. */
  readonly shutdownTimeoutMs?: number;
}

/** A running worker and scheduler; `close()` is the graceful stop. */
export interface JobsRunner {
  readonly worker: Worker;
  /** Stops the scheduler, then lets jobs in flight finish (up to the timeout) and hands the rest back. */
  close(): Promise<void>;
}

/**
 * Runs the queue's jobs in this process, with the daily-digest schedule (one job per tick however
 * many processes run it). The web process calls it when REDIS_URL is unset, `worker.ts` otherwise.
 */
export function startJobs(queue: Queue, options: JobsRunnerOptions): JobsRunner {
  const logger = options.logger;
  const worker = createWorker(queue, {
    concurrency: options.concurrency ?? 10,
    shutdownTimeoutMs: options.shutdownTimeoutMs ?? 10_000,
  });
  worker.on('completed', ({ job }) => logger.debug({ job: job.id, name: job.name }, 'job completed'));
  worker.on('retried', ({ job, error, retryAt }) =>
    logger.warn({ job: job.id, name: job.name, err: error, retryAt }, 'job failed; it will run again'),
  );
  worker.on('failed', ({ job, error }) =>
    logger.error(
      { job: job.id, name: job.name, err: error },
      'job failed for good: it is in the dead letters',
    ),
  );
  worker.on('stalled', ({ id }) => logger.warn({ job: id }, 'job lease expired; handed back to the queue'));
  worker.on('error', ({ error }) => logger.error({ err: error }, 'job queue driver failed; retrying'));
  const scheduler: Scheduler = createScheduler(
    queue,
    [
      {
        name: jobNames.dailyDigest,
        cron: dailyDigestCron,
        timeZone: 'UTC',
        job: jobNames.dailyDigest,
        payload: {},
      },
    ],
    { onError: (error) => logger.error({ err: error }, 'daily-digest schedule could not enqueue; retrying') },
  );
  return {
    worker,
    async close() {
      await scheduler.close();
      await worker.close();
    },
  };
}
