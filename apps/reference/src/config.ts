// The reference app's configuration: every setting has an embedded default, so it starts with nothing set.
import { defineConfig, env, loadConfig, secret } from '@plinth/config';
import { z } from 'zod';

export const definition = defineConfig({
  schema: z.object({
    PORT: env.port(z.number()).default(3000).describe('The port the HTTP server listens on.'),
    HOST: z.string().default('0.0.0.0').describe('The address the HTTP server binds.'),
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
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
  }),
});

/** Reads the configuration once, from the environment and the app's .env files. */
export function readConfig(environment: Record<string, string | undefined> = process.env) {
  return loadConfig({ ...definition, env: environment });
}
