import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'testing',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    typecheck: { enabled: true, include: ['src/**/*.test-d.ts', 'test/**/*.test-d.ts'] },
    // PGlite starts in ~8 s here, ~25 s under parallel load (TOOLCHAIN.md), and a first test that
    // makes the cached migrated data directory went past 60 s at load 30.
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
