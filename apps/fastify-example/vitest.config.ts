import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'fastify-example',
    include: ['test/**/*.test.ts'],
    // scrypt password hashes (128 MiB, tens of ms each) and one build + child process under parallel load.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
