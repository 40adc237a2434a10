import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'db',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    typecheck: { enabled: true, include: ['src/**/*.test-d.ts', 'test/**/*.test-d.ts'] },
    globalSetup: ['test/support/global-setup.ts'],
    // PGlite starts in ~2 s from a dumped data directory, up to 25 s when the machine is busy
    // (and past 40 s at load 30).
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
