// Starts the notes API on PORT (default 3000) and HOST (default 127.0.0.1).
import { randomBytes } from 'node:crypto';
import { createHealth, createShutdown } from '@plinth/deploy';
import { createLogger, setDefaultLogger } from '@plinth/observability';
import { createAccounts, hashPassword } from './accounts.js';
import { buildApp } from './app.js';

const logger = createLogger({ name: 'fastify-example' });
setDefaultLogger(logger); // for the requests Fastify's router refuses before any hook (frameworkErrors)
const health = createHealth();
const accounts = await createAccounts({
  // Without JWT_SECRET a random secret: tokens then last until the next restart.
  secret: process.env.JWT_SECRET ?? randomBytes(32).toString('base64url'),
  users: new Map([['ada', await hashPassword(process.env.DEMO_PASSWORD ?? 'correct horse battery staple')]]),
});
const app = await buildApp({ accounts, health, logger, origins: process.env.CORS_ORIGINS?.split(',') });
// On SIGTERM (or Ctrl-C): readiness fails, requests in flight finish, then exit 0.
createShutdown({ health, logger }).addServer(app, 'fastify');

const url = await app.listen({
  port: Number(process.env.PORT ?? 3000),
  host: process.env.HOST ?? '127.0.0.1',
});
health.markStarted();
logger.info({ url, docs: `${url}/docs` }, 'notes API listening');
