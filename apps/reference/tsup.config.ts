import { defineConfig } from 'tsup';

// The app is never published: one ESM bundle per process (web, worker) of its own code; the packages
// stay external.
export default defineConfig((options) => ({
  entry: { main: 'src/main.ts', worker: 'src/worker.ts' },
  format: ['esm'],
  target: 'node20',
  platform: 'node',
  sourcemap: true,
  clean: !options.watch,
}));
