import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.preset.mjs';

export default defineConfig((options) =>
  packageBuild(
    {
      index: 'src/index.ts',
      'mock-http': 'src/mock-http.ts',
      vitest: 'src/vitest.ts',
    },
    { clean: !options.watch, external: ['vitest', 'undici'] },
  ),
);
