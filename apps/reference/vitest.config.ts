import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'reference',
    include: ['test/**/*.test.ts', 'src/**/*.test.ts', 'deploy/**/*.test.ts'],
    // PGlite takes ~8 s to start here, 25 s under parallel load; the process tests start it twice.
    testTimeout: 120_000,
    hookTimeout: 90_000,
  },
});
