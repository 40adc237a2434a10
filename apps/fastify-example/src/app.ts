// The notes API: an ordinary Fastify 5 app (its own routes, schemas and plugins). Builds the app
// without listening; src/main.ts listens.
import { auth } from '@plinth/auth/fastify';
import type { Health } from '@plinth/deploy';
import { fastifyHealth } from '@plinth/deploy/fastify';
import { fastifyOpenApi } from '@plinth/devtools/fastify';
import type { Logger } from '@plinth/observability';
import { errorHandler, frameworkErrors, requestLogger } from '@plinth/observability/fastify';
import { memoryStore } from '@plinth/security';
import { fastifyCors, fastifyRateLimit, fastifySecureHeaders } from '@plinth/security/fastify';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Accounts } from './accounts.js';
import { memoryNotes, type NoteStore, notesRoutes } from './notes.js';

export interface AppOptions {
  accounts: Accounts;
  health: Health;
  logger: Logger;
  notes?: NoteStore;
  /** Origins whose pages may call the API (CORS). */
  origins?: string[];
  /** Requests per minute a client may send. */
  rateLimit?: number;
}

// POST /login's schema, a JSON Schema checked by Fastify's own ajv; summary and security go to OpenAPI.
const login = {
  summary: 'Log in',
  security: [],
  body: {
    type: 'object',
    required: ['username', 'password'],
    properties: { username: { type: 'string' }, password: { type: 'string' } },
  },
};

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const { accounts, health, logger, notes = memoryNotes() } = options;
  const app = Fastify({ frameworkErrors });
  await app.register(requestLogger({ logger }));
  await app.register(errorHandler({ validationStatus: 400 }));
  await app.register(fastifySecureHeaders);
  await app.register(fastifyCors, { origin: options.origins ?? ['http://localhost:5173'] });
  await app.register(fastifyHealth, { health });
  await app.register(fastifyRateLimit, {
    store: memoryStore(),
    policies: [{ name: 'default', limit: options.rateLimit ?? 100, windowMs: 60_000 }],
    skip: ({ path }) => Object.values(health.paths).includes(path), // probes are not counted
    forwardErrors: true, // the 429 goes to the app's error handler, like every other problem
  });
  await app.register(auth, { bearer: accounts.verifier, global: false, forwardErrors: true });
  await app.register(fastifyOpenApi, {
    info: { title: 'Notes', version: '1.0.0' },
    securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
    security: [{ bearer: [] }],
  });

  app.get('/', async () => ({ name: 'notes', docs: '/docs' }));

  app.post<{ Body: { username: string; password: string } }>('/login', { schema: login }, async (request) =>
    accounts.login(request.body.username, request.body.password),
  );

  await app.register(notesRoutes, { prefix: '/notes', store: notes });
  return app;
}
