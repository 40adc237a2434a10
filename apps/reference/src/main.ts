// Starts the reference app: configuration, logger, health, the HTTP server and graceful shutdown.
import { createHealth, createShutdown, eventLoopDelayCheck } from '@plinth/deploy';
import { serve } from '@plinth/http/node';
import { createLogger, installProcessHandlers } from '@plinth/observability';
import { buildApp } from './app.js';
import { readConfig } from './config.js';
import { createUserStore } from './users.js';

const config = readConfig();
const logger = createLogger({ name: 'reference', level: config.LOG_LEVEL, pretty: false });

const eventLoop = eventLoopDelayCheck();
const health = createHealth({
  checks: [eventLoop],
  service: { serviceId: 'plinth-reference' },
});
const users = createUserStore([{ name: 'Ada Lovelace', email: 'ada@example.com' }]);
const app = buildApp({ users, logger, health });

const server = await serve(app, { port: config.PORT, hostname: config.HOST });
const shutdown = createShutdown({
  health,
  logger,
  servers: [server],
  timeout: config.SHUTDOWN_TIMEOUT,
  readinessDelay: config.READINESS_DELAY,
  closables: [eventLoop],
});
// A crash drains like SIGTERM does, then exits 1.
installProcessHandlers({ logger, onFatal: () => shutdown.shutdown('fatal error', { exitCode: 1 }) });

// Ready only once signals drain us: a SIGTERM from now on is a graceful shutdown, never a hard kill.
health.markStarted();
logger.info({ url: server.url, env: config.NODE_ENV }, 'reference app listening');
