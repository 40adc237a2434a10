import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.preset.mjs';

export default defineConfig((options) =>
  packageBuild(
    {
      index: 'src/index.ts',
      express: 'src/express.ts',
      fastify: 'src/fastify.ts',
      redis: 'src/redis.ts',
      drizzle: 'src/drizzle.ts',
      oidc: 'src/oidc.ts',
      testing: 'src/testing.ts',
    },
    {
      clean: !options.watch,
      external: ['vitest', 'ioredis', 'express', 'fastify', 'drizzle-orm', 'openid-client', 'jose'],
    },
  ),
);
