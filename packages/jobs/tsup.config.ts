import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.preset.mjs';

export default defineConfig((options) =>
  packageBuild(
    {
      index: 'src/index.ts',
      redis: 'src/redis.ts',
      postgres: 'src/postgres.ts',
      testing: 'src/testing.ts',
    },
    { clean: !options.watch, external: ['ioredis', 'postgres'] },
  ),
);
