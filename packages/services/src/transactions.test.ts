// Ambient transactions beyond the runner contract (which runs them on every runner): option
// checks, event subscriptions, failing handlers, wrap(), options reaching the runner.
import { describe, expect, it, vi } from 'vitest';
import { type MemoryStore, memoryRunner } from './drivers/memory.js';
import type { ServicesError } from './errors.js';
import type { TransactionRunner } from './transaction-runner.js';
import { createTransactions } from './transactions.js';

describe('createTransactions', () => {
  it('refuses an unknown propagation by listing the valid ones', async () => {
    const transactions = createTransactions(memoryRunner());
    await expect(
      transactions.transactional(async () => {}, { propagation: 'supports' as never }),
    ).rejects.toThrow(
      'propagation must be one of required, requiresNew, mandatory, never, nested; got supports.',
    );
  });

  it('refuses, when created, something that is not a runner, naming what it lacks', () => {
    expect(() => createTransactions({} as never)).toThrow('this one lacks begin, savepoint, client.');
    expect(() => createTransactions(undefined as never)).toThrow(/needs a TransactionRunner/);
  });

  it('refuses publish() and afterCommit() outside a transaction', () => {
    const transactions = createTransactions(memoryRunner());
    expect(() => transactions.publish({ type: 'x', payload: 1 })).toThrow(
      expect.objectContaining({ code: 'ERR_SERVICES_NO_TRANSACTION' }),
    );
    expect(() => transactions.afterCommit(() => {})).toThrow(/inside transactional\(\)/);
  });

  it('dispatches to subscribers of the type and of *, until they unsubscribe', async () => {
    const transactions = createTransactions(memoryRunner());
    const placed = vi.fn();
    const all = vi.fn();
    const stop = transactions.subscribe('order.placed', placed);
    transactions.subscribe('*', all);
    await transactions.transactional(async () => {
      transactions.publish({ type: 'order.placed', payload: 1 });
      transactions.publish({ type: 'order.paid', payload: 2 });
    });
    expect(placed.mock.calls).toEqual([[{ type: 'order.placed', payload: 1 }]]);
    expect(all).toHaveBeenCalledTimes(2);
    stop();
    await transactions.transactional(async () => transactions.publish({ type: 'order.placed', payload: 3 }));
    expect(placed).toHaveBeenCalledTimes(1);
  });

  it('reports a failing handler and still runs the others; the transaction stays committed', async () => {
    const reported: ServicesError[] = [];
    const runner = memoryRunner();
    const transactions = createTransactions(runner, { onAfterCommitError: (error) => reported.push(error) });
    const second = vi.fn();
    transactions.subscribe('x', () => {
      throw new Error('mailer down');
    });
    transactions.subscribe('x', second);
    const value = await transactions.transactional(async () => {
      transactions.db().set('k', 1);
      transactions.publish({ type: 'x', payload: null });
      return 'done';
    });
    expect(value).toBe('done');
    expect(runner.client.get('k')).toBe(1);
    expect(second).toHaveBeenCalledOnce();
    expect(reported).toHaveLength(1);
    expect(reported[0]).toMatchObject({ code: 'ERR_SERVICES_EVENT_HANDLER' });
    expect(reported[0]!.cause).toMatchObject({ message: 'mailer down' });
  });

  it('wrap() runs every call of a service function in transactional()', async () => {
    const runner = memoryRunner();
    const transactions = createTransactions(runner);
    const rename = transactions.wrap(async (id: string, name: string) => {
      expect(transactions.inTransaction()).toBe(true);
      transactions.db().set(id, name);
      if (name === '') throw new Error('empty');
      return name.length;
    });
    expect(await rename('u1', 'Ada')).toBe(3);
    await expect(rename('u2', '')).rejects.toThrow('empty');
    expect(runner.client.keys()).toEqual(['u1']);
  });

  it('hands isolation level and access mode to the runner when a transaction opens', async () => {
    const memory = memoryRunner();
    const begin = vi.fn(memory.begin);
    const runner: TransactionRunner<MemoryStore> = { ...memory, begin: begin as typeof memory.begin };
    const transactions = createTransactions(runner);
    await transactions.transactional(async () => {}, {
      isolationLevel: 'serializable',
      accessMode: 'read only',
    });
    expect(begin.mock.calls[0]?.[1]).toEqual({ isolationLevel: 'serializable', accessMode: 'read only' });
  });

  it('a callback that outlives its transaction runs outside it, and one that outlives a savepoint runs in the transaction', async () => {
    const runner = memoryRunner();
    const transactions = createTransactions(runner);
    let late!: Promise<{ inTransaction: boolean; isClient: boolean }>;
    let afterSavepoint!: () => unknown;
    await transactions.transactional(async () => {
      const outer = transactions.db();
      await transactions.transactional(
        async () => {
          afterSavepoint = () => transactions.db() === outer;
        },
        { propagation: 'nested' },
      );
      expect(afterSavepoint()).toBe(true);
      late = new Promise((resolve) =>
        setTimeout(
          () =>
            resolve({
              inTransaction: transactions.inTransaction(),
              isClient: transactions.db() === runner.client,
            }),
          5,
        ),
      );
    });
    expect(await late).toEqual({ inTransaction: false, isClient: true });
  });
});
