// The worker process (`pnpm --filter @plinth/reference worker`): runs the notification and digest
// jobs from Redis, apart from the web processes; SIGTERM lets the jobs in flight finish, then exits.
import { defineConfig, env, loadConfig, secret } from '@plinth/config';
import { createHealth, createShutdown } from '@plinth/deploy';
import { createLogger, installProcessHandlers } from '@plinth/observability';
import { z } from 'zod';
import { createQueue, startJobs } from './jobs.js';

// The same names and formats as the web process (SHUTDOWN_TIMEOUT=10s), so both can share one env.
const definition = defineConfig({
  schema: z.object({
    REDIS_URL: secret(z.string().regex(/^rediss?:\/\/./, 'use redis://[:password@]host:6379[/db]')).describe(
      'The Redis the web processes put jobs in. Without it there is no separate worker: pnpm start runs the jobs itself.',
    ),
    REDIS_PREFIX: z
      .string()
      .min(1)
      .default('plinth:reference:')
      .describe("The web processes' prefix; jobs live under <prefix>jobs:."),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    WORKER_CONCURRENCY: z.int().min(1).max(1000).default(10).describe('Jobs run at once by this process.'),
    SHUTDOWN_TIMEOUT: env
      .duration(z.number().min(0))
      .default(10_000)
      .describe('How long jobs in flight get after SIGTERM; the process allows 5 s more to close.'),
  }),
});

let config: ReturnType<typeof loadConfig<typeof definition.schema>>;
try {
  config = loadConfig({ ...definition, env: process.env });
} catch (error) {
  console.error(`worker: ${(error as Error).message}`);
  const issues = (error as { issues?: Array<{ key: string; kind: string }> }).issues ?? [];
  if (issues.some((issue) => issue.key === 'REDIS_URL' && issue.kind === 'missing')) {
    console.error(
      'worker: without REDIS_URL there is no separate worker: the web process (pnpm start) runs the jobs.',
    );
  }
  process.exit(1);
}
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
