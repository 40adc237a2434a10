import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.preset.mjs';

export default defineConfig((options) =>
  packageBuild(
    {
      index: 'src/index.ts',
      node: 'src/node.ts',
      express: 'src/express.ts',
      fastify: 'src/fastify.ts',
      cli: 'src/cli.ts',
    },
    { clean: !options.watch },
  ),
);
