// Starts the notes API on PORT (default 3000) and HOST (default 127.0.0.1).
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { createHealth, createShutdown } from '@plinth/deploy';
import { createLogger } from '@plinth/observability';
import { createAccounts, hashPassword } from './accounts.js';
import { buildApp } from './app.js';

const logger = createLogger({ name: 'express-example' });
const health = createHealth();
const accounts = await createAccounts({
  // Without JWT_SECRET a random secret: tokens then last until the next restart.
  secret: process.env.JWT_SECRET ?? randomBytes(32).toString('base64url'),
  users: new Map([['ada', await hashPassword(process.env.DEMO_PASSWORD ?? 'correct horse battery staple')]]),
});
const app = buildApp({ accounts, health, logger, origins: process.env.CORS_ORIGINS?.split(',') });

const host = process.env.HOST ?? '127.0.0.1';
const server = app.listen(Number(process.env.PORT ?? 3000), host, () => {
  health.markStarted();
  const { port } = server.address() as AddressInfo;
  logger.info({ url: `http://${host}:${port}`, docs: `http://${host}:${port}/docs` }, 'notes API listening');
});
// On SIGTERM (or Ctrl-C): readiness fails, requests in flight finish, then exit 0.
createShutdown({ health, logger }).addServer(server, 'http');
