import { describe, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import type { Config } from './definition.js';
import { defineConfig } from './definition.js';
import { env } from './env-schema.js';
import { loadConfig, loadConfigAsync } from './load-config.js';
import { secret } from './secret.js';

describe('types', () => {
  it('types a zod object configuration from its output, read-only', () => {
    const config = loadConfig({
      schema: z.object({
        PORT: z.number().default(3000),
        DATABASE_URL: z.url().optional(),
        LOG_LEVEL: z.enum(['debug', 'info']).default('info'),
        ORIGINS: z.array(z.string()),
        DB_PASSWORD: secret(z.string()),
      }),
    });
    expectTypeOf(config.PORT).toEqualTypeOf<number>();
    expectTypeOf(config.DATABASE_URL).toEqualTypeOf<string | undefined>();
    expectTypeOf(config.LOG_LEVEL).toEqualTypeOf<'debug' | 'info'>();
    expectTypeOf(config.ORIGINS).toEqualTypeOf<readonly string[]>();
    expectTypeOf(config.DB_PASSWORD).toEqualTypeOf<string>();
    // @ts-expect-error the configuration is read-only
    config.PORT = 1;
  });

  it('types a record of helper schemas from their options', () => {
    const config = loadConfig({
      schema: {
        PORT: env.port({ default: 3000 }),
        DEBUG: env.boolean({ optional: true }),
        TIMEOUT: env.duration(),
        TAGS: env.list(),
        NAME: z.string(),
      },
    });
    expectTypeOf(config.PORT).toEqualTypeOf<number>();
    expectTypeOf(config.DEBUG).toEqualTypeOf<boolean | undefined>();
    expectTypeOf(config.TIMEOUT).toEqualTypeOf<number>();
    expectTypeOf(config.TAGS).toEqualTypeOf<readonly string[]>();
    expectTypeOf(config.NAME).toEqualTypeOf<string>();
  });

  it('keeps the wrapped schema type for helpers and secret()', () => {
    const schema = z.number().max(10);
    expectTypeOf(env.duration(schema)).toEqualTypeOf<typeof schema>();
    expectTypeOf(secret(schema)).toEqualTypeOf<typeof schema>();
  });

  it('types loadConfigAsync and a defined configuration', async () => {
    const definition = defineConfig({ schema: z.object({ A: z.string() }) });
    const config = await loadConfigAsync(definition);
    expectTypeOf(config).toEqualTypeOf<Config<typeof definition.schema>>();
    expectTypeOf(config.A).toEqualTypeOf<string>();
  });
});
