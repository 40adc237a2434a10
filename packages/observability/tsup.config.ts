import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.preset.mjs';

export default defineConfig((options) =>
  packageBuild(
    { index: 'src/index.ts', express: 'src/adapters/express.ts', fastify: 'src/adapters/fastify.ts' },
    { clean: !options.watch },
  ),
);
