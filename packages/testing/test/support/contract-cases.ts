// Registers a contract suite into a plain list instead of vitest, so a test can run one case's body
// against a double of its choosing and assert that it fails (vitest's expect throws as usual).
import { expect } from 'vitest';

type Body = () => Promise<void>;

/** The describe/it/expect/afterEach/afterAll every package's contract runner asks for. */
export interface CollectingApi {
  describe(name: string, body: () => void): void;
  it: ((name: string, body: Body) => void) & { skip(name: string, body: Body): void };
  expect: typeof expect;
  afterEach(body: Body): void;
  afterAll(body: Body): void;
}

/** The cases a suite registered, and a runner of one case that cleans up after it as vitest would. */
export interface CollectedCases {
  readonly names: string[];
  /** Runs the case; resolves with the error it failed with, or undefined when it passed. */
  run(name: string): Promise<unknown>;
  /** The names of the cases that fail. */
  failing(): Promise<string[]>;
}

export function collectCases(register: (api: CollectingApi) => void): CollectedCases {
  const cases = new Map<string, Body>();
  const cleanups: Body[] = [];
  const it = Object.assign((name: string, body: Body) => void cases.set(name, body), {
    skip: () => undefined,
  });
  register({
    describe: (_name, body) => body(),
    it,
    expect,
    afterEach: (body) => void cleanups.push(body),
    afterAll: (body) => void cleanups.push(body),
  });
  const run = async (name: string) => {
    const body = cases.get(name);
    if (!body) throw new Error(`no contract case named "${name}"; known: ${[...cases.keys()].join(' | ')}`);
    try {
      await body();
      return undefined;
    } catch (error) {
      return error ?? new Error('failed with a falsy value');
    } finally {
      for (const cleanup of cleanups) await cleanup();
    }
  };
  return {
    names: [...cases.keys()],
    run,
    async failing() {
      const failed: string[] = [];
      for (const name of cases.keys()) if ((await run(name)) !== undefined) failed.push(name);
      return failed;
    },
  };
}
