// The notes API: an ordinary Express 5 app (express.json(), a router of its own). Builds the app
// without listening; src/main.ts listens.
import { authenticate } from '@plinth/auth/express';
import type { Health } from '@plinth/deploy';
import { expressHealth } from '@plinth/deploy/express';
import { describeRoute, expressOpenApi, expressRoutes } from '@plinth/devtools/express';
import { BadRequestError, type Logger, NotFoundError } from '@plinth/observability';
import { errorHandler, requestLogger } from '@plinth/observability/express';
import { memoryStore } from '@plinth/security';
import { expressCors, expressRateLimit, expressSecureHeaders } from '@plinth/security/express';
import express, { type Express } from 'express';
import type { Accounts } from './accounts.js';
import { memoryNotes, type NoteStore, notesRouter } from './notes.js';

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

export function buildApp(options: AppOptions): Express {
  const { accounts, health, logger, notes = memoryNotes() } = options;
  const app = express();
  app.use(requestLogger({ logger }));
  app.use(expressSecureHeaders());
  app.use(expressCors({ origin: options.origins ?? ['http://localhost:5173'] }));
  app.use(expressHealth(health));
  app.use(
    expressRateLimit({
      store: memoryStore(),
      policies: [{ name: 'default', limit: options.rateLimit ?? 100, windowMs: 60_000 }],
      forwardErrors: true, // the 429 goes to the app's error handler, like every other problem
    }),
  );
  app.use(express.json());
  app.use(
    expressOpenApi({
      source: expressRoutes(app),
      info: { title: 'Notes', version: '1.0.0' },
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      security: [{ bearer: [] }],
    }),
  );

  app.get('/', (_req, res) => {
    res.json({ name: 'notes', docs: '/docs' });
  });

  app.post('/login', describeRoute({ summary: 'Log in', security: [] }), async (req, res) => {
    const { username, password } = req.body ?? {};
    if (typeof username !== 'string' || typeof password !== 'string') {
      throw new BadRequestError('Send {"username": "…", "password": "…"} as JSON.');
    }
    res.json(await accounts.login(username, password));
  });

  app.use('/notes', authenticate({ bearer: accounts.verifier, forwardErrors: true }), notesRouter(notes));

  app.use((req, _res, next) => next(new NotFoundError(`No route for ${req.method} ${req.path}.`)));
  app.use(errorHandler());
  return app;
}
