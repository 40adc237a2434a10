// @plinth/testing/vitest: the vitest fixtures (vitest is an optional peer, imported only here).
export { type CreateTestOptions, createTest, type PlinthFixtures } from './fixtures.js';
