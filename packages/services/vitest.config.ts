import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'services',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    typecheck: { enabled: true, include: ['src/**/*.test-d.ts', 'test/**/*.test-d.ts'] },
    globalSetup: ['test/support/global-setup.ts'],
    // PGlite starts in ~2 s from a dumped data directory, up to 25 s when the machine is busy.
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
