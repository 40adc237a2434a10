// Vitest fixtures (test.extend) bundling the pieces: a database opened once per worker, `db` rolled
// back after each test, `app` built on that `db`, `factories` persisting through it, a cookie-keeping
// `client` for the app and a recording `logger`. It extends the `test` you pass (vitest's, or one you
// extended already), so vitest is imported for its types only and the entry loads from CommonJS too.
import type { TestAPI } from 'vitest';
import { TestingError } from './errors.js';
import { createInjector, type Injector } from './inject.js';
import type { InjectTarget } from './inject-target.js';
import { type IsolatedOf, isolate } from './isolation.js';
import { type RecordingLogger, recordingLogger } from './recording-logger.js';

/** What each test receives. */
export interface PlinthFixtures<Database, App, Factories> {
  /** The worker's database, shared by the tests of this worker; use `db` in tests. */
  database: Database;
  /** A transaction on `database` rolled back when the test ends; nested transactions are savepoints. */
  db: IsolatedOf<Database>;
  /** The app, built for this test on `db`. */
  app: App;
  /** The factories, built for this test on `db`. */
  factories: Factories;
  /** inject() bound to `app` with a cookie jar of this test. */
  client: Injector;
  /** A recording logger of this test (hand it to the app in `app`). */
  logger: RecordingLogger;
}

/** Options of createTest(). */
export interface CreateTestOptions<Database, App, Factories> {
  /** Opens the database once per worker (e.g. a PGlite loaded from a migrated dump, or workerDatabase()). */
  database: () => Database | Promise<Database>;
  /** Closes it when the worker is done. */
  closeDatabase?: (database: Database) => unknown;
  /** Builds the app on this test's `db` (and `logger`). */
  app?: (context: { db: IsolatedOf<Database>; logger: RecordingLogger }) => App | Promise<App>;
  /** Builds the factories on this test's `db`. */
  factories?: (context: { db: IsolatedOf<Database> }) => Factories;
}

/**
 * Extends vitest's `test` with `db`, `app`, `factories`, `client` and `logger` fixtures.
 *
 * @example
 * import { test as base } from 'vitest';
 * export const test = createTest(base, {
 *   database: async () => drizzle(new PGlite({ loadDataDir: await migratedDump() })),
 *   app: ({ db }) => createApp({ db }),
 *   factories: ({ db }) => ({ users: userFactory(db) }),
 * });
 * test('lists users', async ({ client, factories }) => {
 *   await factories.users.create();
 *   expect(await (await client('/users')).json()).toHaveLength(1);
 * });
 */
export function createTest<
  Database,
  App = never,
  Factories = Record<string, never>,
  Base extends object = object,
>(
  base: TestAPI<Base>,
  options: CreateTestOptions<Database, App, Factories>,
): TestAPI<Base & PlinthFixtures<Database, App, Factories>> {
  if (typeof base?.extend !== 'function') {
    throw new TestingError(
      'ERR_TESTING_INVALID_OPTION',
      "createTest: pass vitest's test first: createTest(test, { database, app, factories }).",
    );
  }
  type F = PlinthFixtures<Database, App, Factories>;
  type Use<T> = (value: T) => Promise<void>;
  return base.extend<PlinthFixtures<Database, App, Factories>>({
    database: [
      // biome-ignore lint/correctness/noEmptyPattern: vitest reads fixture dependencies from this pattern
      async ({}, use: Use<Database>) => {
        const database = await options.database();
        await use(database);
        await options.closeDatabase?.(database);
      },
      { scope: 'worker' },
    ],
    db: async ({ database }: Pick<F, 'database'>, use: Use<F['db']>) => {
      const handle = await isolate(database);
      await use(handle.db);
      await handle.rollback();
    },
    // biome-ignore lint/correctness/noEmptyPattern: vitest reads fixture dependencies from this pattern
    logger: async ({}, use: Use<RecordingLogger>) => {
      await use(recordingLogger());
    },
    app: async ({ db, logger }: Pick<F, 'db' | 'logger'>, use: Use<App>) => {
      if (!options.app) {
        throw new TestingError(
          'ERR_TESTING_INVALID_OPTION',
          'createTest: the app fixture needs createTest(test, { app: ({ db }) => yourApp }).',
        );
      }
      await use(await options.app({ db, logger }));
    },
    factories: async ({ db }: Pick<F, 'db'>, use: Use<Factories>) => {
      await use(options.factories ? options.factories({ db }) : ({} as Factories));
    },
    client: async ({ app }: Pick<F, 'app'>, use: Use<Injector>) => {
      await use(createInjector(app as InjectTarget));
    },
  } as never) as never;
}
