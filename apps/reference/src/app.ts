// The reference API: @plinth/http routes bound from @plinth/handlers definitions, @plinth/observability
// logging and errors, @plinth/deploy health, @plinth/devtools OpenAPI and docs, @plinth/db storage.
import type { Health } from '@plinth/deploy';
import { healthMiddleware } from '@plinth/deploy';
import { devErrorPage, openApi } from '@plinth/devtools';
import { bindHttp, createContainer, token } from '@plinth/handlers';
import { type App, createApp } from '@plinth/http';
import { errorHandler, type Logger, NotFoundError, requestLogger } from '@plinth/observability';
import { api, Users } from './routes.js';
import { type AppDatabase, createUserStore } from './users.js';

/** The database, resolved by the container; the stores are made from it. */
export const Db = token<AppDatabase>('Db');

/** What the app is built from; main.ts makes the real ones, tests their own. */
export interface AppDependencies {
  /** A migrated database (src/database.ts); its owner closes it. */
  db: AppDatabase;
  logger: Logger;
  health: Health;
}

/**
 * Builds the app without starting a server, so tests call `app.fetch` in-process. The database's ping
 * joins `health`'s readiness checks: /readyz answers 503 while the database does not answer.
 */
export function buildApp({ db, logger, health }: AppDependencies): App {
  // The database is a value here, never disposed by the container: main.ts closes it after the drain.
  const container = createContainer()
    .value(Db, db)
    .singleton(Users, [Db], (database) => createUserStore(database));
  health.add(db.health({ name: 'database' }));
  const app = createApp();

  // Outermost first: every request gets an id and a log line, then errors become problem+json (an
  // HTML page with the stack in development only), health probes answer before any route.
  app.use(requestLogger({ logger }), devErrorPage(), errorHandler(), healthMiddleware(health));
  app.use(
    openApi({
      source: app,
      info: { title: 'Plinth reference API', version: '1.0.0' },
      validationStatus: 422,
    }),
  );

  // Thrown errors go on to observability's handler, so every problem carries the request id.
  bindHttp(app, api, { container, validationStatus: 422, forwardErrors: true });

  // Unmatched paths still pass the middleware above, so a 404 is logged and answered as problem+json.
  app.notFound((ctx) => {
    throw new NotFoundError(`Nothing is served at ${ctx.method} ${ctx.path}.`);
  });

  return app;
}
