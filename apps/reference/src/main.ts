// Starts the task tracker: configuration, logger, the database (migrated, demo data on a fresh one),
// Redis when configured, the HTTP server, the outbox relay and graceful shutdown.
import { createOidcClient } from '@plinth/auth/oidc';
import { createHealth, createShutdown, eventLoopDelayCheck } from '@plinth/deploy';
import { serve } from '@plinth/http/node';
import { createLogger, installProcessHandlers } from '@plinth/observability';
import { createOutboxRelay } from '@plinth/services/drizzle';
import { canReadTeam } from './access.js';
import { buildApp } from './app.js';
import { createAuthKit } from './auth.js';
import { type AppConfig, readConfig } from './config.js';
import { openDatabase } from './database.js';
import { createQueue, startJobs } from './jobs.js';
import { createLive, createLiveDrivers } from './live/index.js';
import { connectRedis } from './redis.js';
import { demoPassword, demoUsers, seedDemoData } from './seed.js';
import { createServices } from './services.js';

const config = readConfig();
const logger = createLogger({ name: 'reference', level: config.LOG_LEVEL, pretty: false });

/** Stops the start with one log line saying what is wrong (secrets never in it), exit code 1. */
function refuse(what: string) {
  return (error: unknown): never => {
    logger.error({ err: error }, `${what}: ${(error as Error).message}`);
    process.exit(1);
  };
}

/** JWT_SECRET, or in development a random one with a warning; production refuses to start without it. */
function jwtSecret({ JWT_SECRET, NODE_ENV }: AppConfig): string | undefined {
  if (JWT_SECRET !== undefined) return JWT_SECRET;
  if (NODE_ENV === 'production') {
    refuse('JWT_SECRET is required in production')(
      new Error('set JWT_SECRET to at least 32 random bytes, e.g. `openssl rand -base64 48`'),
    );
  }
  logger.warn(
    'JWT_SECRET is not set: a random secret was generated for this process; tokens and sessions end when it stops, and instances do not share them',
  );
  return undefined;
}

// Checked before anything is opened: a production start without JWT_SECRET stops at once.
const secret = jwtSecret(config);
const eventLoop = eventLoopDelayCheck();
const health = createHealth({ checks: [eventLoop], service: { serviceId: 'plinth-reference' } });
// Migrations run before the server listens: no request ever meets an old schema.
const db = await openDatabase({
  url: config.DATABASE_URL,
  dataDir: config.DATA_DIR,
  logger: logger.child({ component: 'db' }),
}).catch(refuse('the database could not be opened'));
const redis = config.REDIS_URL
  ? await connectRedis(config.REDIS_URL, config.REDIS_PREFIX).catch(refuse('Redis'))
  : undefined;
if (redis) health.add(redis.check);

const https = config.COOKIE_SECURE ?? config.NODE_ENV === 'production';
const auth = await createAuthKit({
  secret,
  accessTokenTtl: config.ACCESS_TOKEN_TTL,
  refreshTokenTtl: config.REFRESH_TOKEN_TTL,
  sessionTtl: config.SESSION_TTL,
  cookieSecure: https,
  ...(redis && { tokenStore: redis.tokenStore }),
});
if (config.SEED_DEMO && (await seedDemoData(db, auth.passwords))) logger.info('demo data seeded');

const publicUrl = config.PUBLIC_URL?.replace(/\/$/, '');
const oidc =
  config.OIDC_ISSUER && config.OIDC_CLIENT_ID
    ? await createOidcClient({
        issuer: config.OIDC_ISSUER,
        clientId: config.OIDC_CLIENT_ID,
        ...(config.OIDC_CLIENT_SECRET !== undefined && { clientSecret: config.OIDC_CLIENT_SECRET }),
        redirectUri:
          config.OIDC_REDIRECT_URI ?? `${publicUrl ?? `http://localhost:${config.PORT}`}/auth/oidc/callback`,
        allowLoopbackHttp: config.NODE_ENV !== 'production',
      }).catch(refuse('the OpenID Connect issuer could not be discovered'))
    : undefined;

const services = createServices(db, auth);
// Jobs: in this process on the memory queue; with REDIS_URL in Redis, run by `pnpm worker` processes.
const jobs = createQueue({
  redisUrl: config.REDIS_URL,
  prefix: `${config.REDIS_PREFIX}jobs:`,
  logger: logger.child({ component: 'jobs' }),
});
const jobsRunner = config.REDIS_URL
  ? undefined
  : startJobs(jobs.queue, { logger: logger.child({ component: 'worker' }) });
// The live board: team channels on the memory broker, or Redis pub/sub across instances.
const liveDrivers = createLiveDrivers({ redisUrl: config.REDIS_URL, prefix: `${config.REDIS_PREFIX}live:` });
const live = createLive({
  ...liveDrivers,
  queue: jobs.queue,
  logger,
  authenticate: (token) => auth.authenticateToken(token),
  canReadTeam: (userId, teamId) => canReadTeam(db, userId, teamId),
});
const app = buildApp({
  db,
  logger,
  health,
  auth,
  services,
  oidc,
  live,
  edge: {
    corsOrigins: config.CORS_ORIGINS,
    trustedProxies: config.TRUSTED_PROXIES,
    loginRateLimit: config.LOGIN_RATE_LIMIT,
    https,
    ...(redis && { rateLimitStore: redis.rateLimitStore }),
  },
});

const server = await serve(app, { port: config.PORT, hostname: config.HOST });
live.attach(server.server);
// The relay delivers committed domain events; several instances share the rows (FOR UPDATE SKIP LOCKED).
const relay = createOutboxRelay({
  db,
  sink: live.sink,
  onError: (error, message) => logger.warn({ err: error, event: message?.type }, 'outbox delivery failed'),
});
relay.start();

const shutdown = createShutdown({
  health,
  logger,
  // The live sockets and streams close with the servers, so their clients reconnect elsewhere.
  servers: [server, { close: () => live.close() }],
  timeout: config.SHUTDOWN_TIMEOUT,
  readinessDelay: config.READINESS_DELAY,
  // Closed after the servers have drained, in reverse order: the relay first, the database last.
  closables: [
    db,
    ...(redis ? [redis] : []),
    auth,
    liveDrivers,
    jobs,
    ...(jobsRunner ? [jobsRunner] : []),
    relay,
    eventLoop,
  ],
});
// A crash drains like SIGTERM does, then exits 1.
installProcessHandlers({ logger, onFatal: () => shutdown.shutdown('fatal error', { exitCode: 1 }) });

// Ready only once signals drain us: a SIGTERM from now on is a graceful shutdown, never a hard kill.
health.markStarted();
const url = publicUrl ?? server.url.replace('//0.0.0.0:', '//localhost:');
logger.info({ url, env: config.NODE_ENV }, 'reference app listening');
const demo = `${demoUsers[0]?.email} / ${demoPassword} (also ${demoUsers
  .slice(1)
  .map((user) => user.email)
  .join(', ')})`;
logger.info({ docs: `${url}/docs`, board: `${url}/board`, demo }, 'reference app ready');
// A terminal also gets the three lines plainly; piped output (a log collector) stays pure JSON.
if (process.stdout.isTTY) {
  process.stdout.write(`\n  API docs  ${url}/docs\n  Board     ${url}/board\n  Demo      ${demo}\n\n`);
}
