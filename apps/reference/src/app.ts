// The reference API: @plinth/http routes, @plinth/observability logging and errors, @plinth/deploy health.
import type { Health } from '@plinth/deploy';
import { healthMiddleware } from '@plinth/deploy';
import { type App, createApp, json } from '@plinth/http';
import {
  ConflictError,
  errorHandler,
  type Logger,
  NotFoundError,
  requestLogger,
} from '@plinth/observability';
import { newUserSchema, type UserStore } from './users.js';

/** What the app is built from; main.ts makes the real ones, tests their own. */
export interface AppDependencies {
  users: UserStore;
  logger: Logger;
  health: Health;
}

/** Builds the app without starting a server, so tests call `app.fetch` in-process. */
export function buildApp({ users, logger, health }: AppDependencies): App {
  const app = createApp();

  // Outermost first: every request gets an id and a log line, then errors become problem+json.
  app.use(requestLogger({ logger }), errorHandler(), healthMiddleware(health));

  app.get('/', { meta: { summary: 'About this service' } }, () =>
    json({
      name: 'plinth-reference',
      description: 'The Plinth reference API',
      links: { users: '/users', health: '/healthz', liveness: '/livez', readiness: '/readyz' },
    }),
  );

  app.group('/users', (group) => {
    group.get('/', { meta: { summary: 'List users' } }, () => json(users.list()));

    group.get('/:id', { meta: { summary: 'Get one user' } }, (ctx) => {
      const user = users.get(ctx.params.id ?? '');
      if (!user) throw new NotFoundError(`There is no user with id "${ctx.params.id}".`);
      return json(user);
    });

    group.post('/', { meta: { summary: 'Create a user' } }, async (ctx) => {
      // A ZodError carries Standard Schema issues: the error handler answers 422 with errors[].
      const input = newUserSchema.parse(await ctx.body.json({ limit: 16 * 1024 }));
      if (users.findByEmail(input.email)) {
        throw new ConflictError(`A user with email "${input.email}" exists already.`);
      }
      const user = users.create(input);
      return json(user, { status: 201, headers: { location: `/users/${user.id}` } });
    });
  });

  // Unmatched paths still pass the middleware above, so a 404 is logged and answered as problem+json.
  app.notFound((ctx) => {
    throw new NotFoundError(`Nothing is served at ${ctx.method} ${ctx.path}.`);
  });

  return app;
}
