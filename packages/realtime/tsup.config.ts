import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.preset.mjs';

export default defineConfig((options) =>
  packageBuild(
    {
      index: 'src/index.ts',
      ws: 'src/ws.ts',
      redis: 'src/redis.ts',
      express: 'src/express.ts',
      fastify: 'src/fastify.ts',
      client: 'src/client.ts',
      testing: 'src/testing.ts',
    },
    { clean: !options.watch, external: ['ioredis', 'ws'] },
  ),
);
