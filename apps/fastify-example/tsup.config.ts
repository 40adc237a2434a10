import { defineConfig } from 'tsup';

// The app is never published: one ESM bundle of its own code; the packages stay external.
export default defineConfig((options) => ({
  entry: { main: 'src/main.ts' },
  format: ['esm'],
  target: 'node20',
  platform: 'node',
  sourcemap: true,
  clean: !options.watch,
}));
