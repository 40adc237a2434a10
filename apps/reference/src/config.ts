// The reference app's configuration: one typed schema for every setting, each with an embedded default
// where one is safe, so the app starts with nothing set. `.env.example` is generated from it
// (`pnpm --filter @plinth/reference env:example`; test/config.test.ts checks it is current).
import { defineConfig, env, loadConfig, secret } from '@plinth/config';
import { z } from 'zod';

const optionalUrl = (description: string) => env.url(z.string()).optional().describe(description);

export const definition = defineConfig({
  schema: z.object({
    PORT: env.port(z.number()).default(3000).describe('The port the HTTP server listens on.'),
    HOST: z.string().default('0.0.0.0').describe('The address the HTTP server binds.'),
    NODE_ENV: z
      .enum(['development', 'production', 'test'])
      .default('development')
      .describe('production requires JWT_SECRET and sends Secure cookies.'),
    LOG_LEVEL: z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
      .default('info')
      .describe('The pino log level.'),
    SHUTDOWN_TIMEOUT: env
      .duration(z.number())
      .default(10_000)
      .describe('How long a graceful shutdown may take.'),
    READINESS_DELAY: env
      .duration(z.number())
      .default(0)
      .describe('How long /readyz answers 503 before the server stops accepting.'),
    DATABASE_URL: secret(
      z
        .string()
        .regex(/^postgres(ql)?:\/\/./, 'use postgres://user:password@host:5432/name')
        .optional(),
    ).describe('PostgreSQL to store data in; unset, the app keeps its data in DATA_DIR (PGlite).'),
    DATA_DIR: z
      .string()
      .min(1)
      .default('.data')
      .describe(
        'The folder of the embedded PGlite database when DATABASE_URL is unset (memory:// keeps none).',
      ),
    REDIS_URL: secret(
      z
        .string()
        .regex(/^rediss?:\/\/./, 'use redis://[:password@]host:6379[/db]')
        .optional(),
    ).describe(
      'Redis for refresh tokens, rate limits (and the live broker and job queue); unset, memory stores (one process).',
    ),
    REDIS_PREFIX: z
      .string()
      .min(1)
      .default('plinth:reference:')
      .describe('Prefix of every Redis key and channel of the app (web and worker processes must agree).'),
    JWT_SECRET: secret(
      z.string().min(32, 'use at least 32 bytes, e.g. `openssl rand -base64 48`').optional(),
    ).describe(
      'Signs access tokens (HS256) and, derived from it, session cookies and cursors; required in production. Unset in development, a random one is made at each start (tokens die with the process).',
    ),
    ACCESS_TOKEN_TTL: env
      .duration(z.number().min(1000))
      .default(15 * 60_000)
      .describe('Lifetime of an access token.'),
    REFRESH_TOKEN_TTL: env
      .duration(z.number().min(60_000))
      .default(30 * 24 * 3_600_000)
      .describe('Lifetime of a refresh token (each use rotates it).'),
    SESSION_TTL: env
      .duration(z.number().min(60_000))
      .default(24 * 3_600_000)
      .describe('Lifetime of the browser session cookie.'),
    COOKIE_SECURE: z
      .boolean()
      .optional()
      .describe('Send cookies with Secure (and the __Host- prefix); default: on in production only.'),
    CORS_ORIGINS: z
      .array(z.string())
      .default([])
      .describe(
        'Origins allowed to call the API from a browser (exact origins or https://*.example.com); default none.',
      ),
    TRUSTED_PROXIES: z
      .array(z.string())
      .default([])
      .describe(
        'Proxies whose X-Forwarded-For is believed (CIDRs, addresses, loopback, private); default none.',
      ),
    LOGIN_RATE_LIMIT: z
      .number()
      .int()
      .min(1)
      .default(20)
      .describe('Login and sign-up requests one client may make per minute.'),
    SEED_DEMO: z.boolean().default(true).describe('Seed the demo team and users into an empty database.'),
    PUBLIC_URL: optionalUrl('The URL users reach the app at (for links and the OIDC redirect).'),
    OIDC_ISSUER: optionalUrl('OpenID Connect issuer; set with OIDC_CLIENT_ID to offer /auth/oidc/start.'),
    OIDC_CLIENT_ID: z.string().optional().describe('The client id registered with the OIDC issuer.'),
    OIDC_CLIENT_SECRET: secret(z.string().optional()).describe('The client secret, if the client has one.'),
    OIDC_REDIRECT_URI: optionalUrl('Default: PUBLIC_URL + /auth/oidc/callback.'),
  }),
});

/** The loaded configuration. */
export type AppConfig = ReturnType<typeof readConfig>;

/** Reads the configuration once, from the environment and the app's .env files. */
export function readConfig(environment: Record<string, string | undefined> = process.env) {
  return loadConfig({ ...definition, env: environment });
}
