import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.preset.mjs';

export default defineConfig((options) =>
  packageBuild(
    {
      index: 'src/index.ts',
      drizzle: 'src/drizzle.ts',
      testing: 'src/testing.ts',
    },
    { clean: !options.watch },
  ),
);
