import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.preset.mjs';

export default defineConfig((options) =>
  packageBuild(
    {
      index: 'src/index.ts',
      express: 'src/express.ts',
      fastify: 'src/fastify.ts',
      redis: 'src/redis.ts',
      sanitize: 'src/sanitize.ts',
      testing: 'src/testing.ts',
    },
    { clean: !options.watch, external: ['sanitize-html', 'ioredis', 'express', 'fastify'] },
  ),
);
