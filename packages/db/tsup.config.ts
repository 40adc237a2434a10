import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.preset.mjs';

export default defineConfig((options) =>
  packageBuild(
    {
      index: 'src/index.ts',
      cli: 'src/cli.ts',
    },
    { clean: !options.watch },
  ),
);
