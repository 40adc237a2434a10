// The test functions a contract suite needs: vitest's, node:test's and jest's fit as they are.

/** The test context's skip, as vitest and node:test pass it. */
export interface SkippableContext {
  skip?(note?: string): void;
}

/** describe/it of your framework; suites assert with node:assert, so any runner works. */
export interface ContractTestApi {
  describe(name: string, fn: () => void): unknown;
  it(name: string, fn: (context: SkippableContext) => Promise<void>): unknown;
}
