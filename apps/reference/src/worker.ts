// The worker process (`pnpm --filter @plinth/reference worker`): runs the notification and digest
// jobs from Redis, apart from the web processes; SIGTERM lets the jobs in flight finish, then exits.
import { createHealth, createShutdown } from '@plinth/deploy';
import { createLogger, installProcessHandlers } from '@plinth/observability';
import { z } from 'zod';
import { createQueue, startJobs } from './jobs.js';

const environment = z.object({
  REDIS_URL: z
    .string({
      error: 'set REDIS_URL=redis://host:6379: without it the web process runs the jobs itself (pnpm start)',
    })
    .regex(/^rediss?:\/\/./, 'use redis://host:6379'),
  // The web processes' prefix: jobs live under `<prefix>jobs:`.
  REDIS_PREFIX: z.string().min(1).default('plinth:reference:'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(1000).default(10),
  // Jobs in flight get this long after SIGTERM; the process gets 5 s more to close its connections.
  SHUTDOWN_TIMEOUT: z.coerce.number().int().min(0).default(10_000),
});

const parsed = environment.safeParse(process.env);
if (!parsed.success) {
  for (const issue of parsed.error.issues) console.error(`worker: ${issue.path.join('.')}: ${issue.message}`);
  process.exit(1);
}
const config = parsed.data;
const logger = createLogger({ name: 'reference-worker', level: config.LOG_LEVEL, pretty: false });

const jobs = createQueue({
  redisUrl: config.REDIS_URL,
  prefix: `${config.REDIS_PREFIX}jobs:`,
  logger,
});
const runner = startJobs(jobs.queue, {
  logger,
  concurrency: config.WORKER_CONCURRENCY,
  shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT,
});
const health = createHealth({ checks: [], service: { serviceId: 'plinth-reference-worker' } });
const shutdown = createShutdown({
  health,
  logger,
  timeout: config.SHUTDOWN_TIMEOUT + 5_000,
  // Reverse order: the runner first (in-flight jobs finish), then the Redis connection.
  closables: [jobs, runner],
});
installProcessHandlers({ logger, onFatal: () => shutdown.shutdown('fatal error', { exitCode: 1 }) });
health.markStarted();
logger.info({ concurrency: config.WORKER_CONCURRENCY, queue: jobs.queue.name }, 'reference worker running');
