import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.preset.mjs';

export default defineConfig((options) =>
  packageBuild(
    {
      index: 'src/index.ts',
      fetch: 'src/fetch.ts',
      express: 'src/express.ts',
      fastify: 'src/fastify.ts',
    },
    { clean: !options.watch },
  ),
);
