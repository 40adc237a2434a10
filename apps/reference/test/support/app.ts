// The app as the tests build it: a recording logger, health without a cache, an AuthKit with a cheap
// password hash (scrypt 2^10: the demo users are hashed in milliseconds) and the demo data seeded.
import { createHealth, type Health } from '@plinth/deploy';
import type { App } from '@plinth/http';
import { createLogger } from '@plinth/observability';
import { defineFactory, type InjectRequest, inject } from '@plinth/testing';
import { type AppDependencies, buildApp, type EdgeSettings } from '../../src/app.js';
import { type AuthKit, type AuthKitOptions, createAuthKit } from '../../src/auth.js';
import type { AppDatabase } from '../../src/database.js';
import { demoPassword, seedDemoData } from '../../src/seed.js';
import { createServices, type Services } from '../../src/services.js';

export interface TestApp {
  app: App;
  db: AppDatabase;
  auth: AuthKit;
  services: Services;
  health: Health;
  lines: Record<string, unknown>[];
  request(request: InjectRequest | string): ReturnType<typeof inject>;
  /** Logs in (bearer) and answers the token pair and user. */
  login(
    email: string,
    password?: string,
  ): Promise<{ accessToken: string; refreshToken: string; user: { id: string } }>;
  /** A request with the user's bearer token. */
  as(token: string, request: InjectRequest | string): ReturnType<typeof inject>;
  /** New users, each signed up through the service: `await users.create()` answers a session. */
  users: ReturnType<typeof userFactory>;
}

const userFactory = (services: Services) =>
  defineFactory({
    fields: ({ sequence }) => ({
      email: `user${sequence}-${process.pid}@example.test`,
      name: `User ${sequence}`,
      password: 'correct horse battery',
    }),
    create: (fields) => services.accounts.signUp(fields),
  });

/** Builds the app on `db` (seeding the demo data once), with `edge` and `extra` dependencies. */
export async function testApp(
  db: AppDatabase,
  edge: EdgeSettings = {},
  extra: Partial<AppDependencies> = {},
  authOptions: AuthKitOptions = {},
): Promise<TestApp> {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger({
    level: 'info',
    pretty: false,
    destination: { write: (line: string) => lines.push(JSON.parse(line)) },
  });
  // cacheTtl 0: each probe runs the checks, so a closed database shows at the next probe.
  const health = createHealth({ service: { serviceId: 'reference-test' }, cacheTtl: 0 });
  const auth = await createAuthKit({
    secret: 'test-secret-of-at-least-32-bytes!!',
    passwordCost: 10,
    cookieSecure: false,
    ...authOptions,
  });
  await seedDemoData(db, auth.passwords);
  const services = createServices(db, auth);
  const app = buildApp({ db, logger, health, auth, services, edge, ...extra });
  const request = (request: InjectRequest | string) => inject(app, request);
  const as = (token: string, request: InjectRequest | string) => {
    const init = typeof request === 'string' ? { url: request } : request;
    const headers = {
      ...(init.headers as Record<string, string> | undefined),
      authorization: `Bearer ${token}`,
    };
    return inject(app, { ...init, headers });
  };
  const login = async (email: string, password = demoPassword) => {
    const response = await request({ method: 'POST', url: '/auth/login', json: { email, password } });
    if (response.status !== 200)
      throw new Error(`login of ${email} answered ${response.status}: ${await response.text()}`);
    return (await response.json()) as { accessToken: string; refreshToken: string; user: { id: string } };
  };
  return { app, db, auth, services, health, lines, request, login, as, users: userFactory(services) };
}
