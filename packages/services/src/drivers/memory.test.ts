// The memory runner passes the one TransactionRunner contract (the drizzle runner passes it too, in
// test/drizzle-runner.test.ts), and copies values in and out.
import { describe, expect, it } from 'vitest';
import { testTransactionRunner } from '../testing.js';
import { memoryRunner } from './memory.js';

testTransactionRunner(
  'memory',
  async () => ({
    runner: memoryRunner(),
    write: async (store, key, value) => store.set(key, value),
    read: async (store, key) => store.get<string>(key),
  }),
  { describe, it },
);

describe('memoryRunner', () => {
  it('copies values in and out, so mutating an object never changes the stored state', async () => {
    const runner = memoryRunner();
    const order = { lines: [1] };
    await runner.begin(async (tx) => {
      tx.set('order', order);
      order.lines.push(2);
      tx.get<typeof order>('order')?.lines.push(3);
    });
    expect(runner.client.get('order')).toEqual({ lines: [1] });
  });

  it('lists the keys visible from a transaction, its own writes and deletes included', async () => {
    const runner = memoryRunner();
    runner.client.set('a', 1);
    runner.client.set('b', 2);
    await runner.begin(async (tx) => {
      tx.delete('a');
      tx.set('c', 3);
      expect(tx.keys()).toEqual(['b', 'c']);
      expect(tx.has('a')).toBe(false);
      expect(runner.client.keys()).toEqual(['a', 'b']);
    });
    expect(runner.client.keys()).toEqual(['b', 'c']);
  });
});
