// The contract suite catches a runner that breaks the contract: run against runners that commit a
// rejected transaction, or whose savepoint undoes nothing, some of its cases fail.
import { describe, expect, it } from 'vitest';
import { type MemoryStore, memoryRunner } from './drivers/memory.js';
import { type RunnerFixture, testTransactionRunner } from './runner-contract.js';
import type { TransactionRunner } from './transaction-runner.js';

/** Runs the whole suite against `runner` and returns the names of the cases that failed. */
async function failingCases(runner: TransactionRunner<MemoryStore>): Promise<string[]> {
  const cases: Array<[string, (context: object) => Promise<void>]> = [];
  const fixture: RunnerFixture<MemoryStore> = {
    runner,
    write: async (store, key, value) => store.set(key, value),
    read: async (store, key) => store.get<string>(key),
  };
  testTransactionRunner('under test', async () => fixture, {
    describe: (_name, fn) => fn(),
    it: (name, fn) => cases.push([name, fn]),
  });
  const failed: string[] = [];
  for (const [name, fn] of cases) await fn({}).catch(() => failed.push(name));
  return failed;
}

describe('testTransactionRunner', () => {
  it('passes a runner that keeps the contract', async () => {
    expect(await failingCases(memoryRunner())).toEqual([]);
  });

  it('fails a runner that commits the writes of a rejected transaction', async () => {
    const memory = memoryRunner();
    const leaky: TransactionRunner<MemoryStore> = {
      ...memory,
      begin: (fn) => fn(memory.client), // writes straight to the committed store
    };
    expect(await failingCases(leaky)).toContain(
      'rolls back every write of a function that rejects, and rejects with the very same error',
    );
  });

  it('fails a runner whose savepoint undoes nothing', async () => {
    const memory = memoryRunner();
    const flat: TransactionRunner<MemoryStore> = { ...memory, savepoint: (tx, fn) => fn(tx) };
    expect(await failingCases(flat)).toEqual(
      expect.arrayContaining([
        'a rejected savepoint undoes only its own writes, and the transaction commits the rest',
        'nested runs under a savepoint: its failure undoes only its writes and the outer commits',
      ]),
    );
  });
});
