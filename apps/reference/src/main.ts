// Starts the reference app: configuration, logger, the database (migrated), health, the HTTP server
// and graceful shutdown.
import { createHealth, createShutdown, eventLoopDelayCheck } from '@plinth/deploy';
import { serve } from '@plinth/http/node';
import { createLogger, installProcessHandlers } from '@plinth/observability';
import { buildApp } from './app.js';
import { readConfig } from './config.js';
import { openDatabase } from './database.js';

const config = readConfig();
const logger = createLogger({ name: 'reference', level: config.LOG_LEVEL, pretty: false });

const eventLoop = eventLoopDelayCheck();
const health = createHealth({
  checks: [eventLoop],
  service: { serviceId: 'plinth-reference' },
});
// Migrations run before the server listens: no request ever meets an old schema.
const db = await openDatabase({
  url: config.DATABASE_URL,
  dataDir: config.DATA_DIR,
  logger: logger.child({ component: 'db' }),
}).catch((error: unknown) => {
  // An unreachable server, a wrong password, an edited migration: say which, then exit without serving.
  logger.error({ err: error }, `the database could not be opened: ${(error as Error).message}`);
  process.exit(1);
});
const app = buildApp({ db, logger, health });

const server = await serve(app, { port: config.PORT, hostname: config.HOST });
const shutdown = createShutdown({
  health,
  logger,
  servers: [server],
  timeout: config.SHUTDOWN_TIMEOUT,
  readinessDelay: config.READINESS_DELAY,
  // Closed after the servers have drained, in reverse order: the database last, once no request needs it.
  closables: [db, eventLoop],
});
// A crash drains like SIGTERM does, then exits 1.
installProcessHandlers({ logger, onFatal: () => shutdown.shutdown('fatal error', { exitCode: 1 }) });

// Ready only once signals drain us: a SIGTERM from now on is a graceful shutdown, never a hard kill.
health.markStarted();
logger.info({ url: server.url, env: config.NODE_ENV }, 'reference app listening');
