// The one contract suite every TransactionRunner passes: the memory runner, the drizzle runner on
// PostgreSQL and on PGlite, and yours. It checks the runner's own contract and then ambient
// transactions, propagation and after-commit events running on top of it. It takes the test
// functions of your framework (vitest, node:test, jest) and asserts with node:assert.
import { deepStrictEqual, equal, rejects, strictEqual } from 'node:assert/strict';
import { ServicesError } from './errors.js';
import type { TransactionRunner } from './transaction-runner.js';
import { createTransactions } from './transactions.js';
import type { DomainEvent } from './unit-of-work.js';

/** A runner under test with a way to write and read one key through a handle. */
export interface RunnerFixture<Handle> {
  runner: TransactionRunner<Handle>;
  /** Writes `value` under `key` through `handle` (a transaction's, or the runner's client). */
  write(handle: Handle, key: string, value: string): Promise<void>;
  /** Reads `key` through `handle`; undefined when it is absent. */
  read(handle: Handle, key: string): Promise<string | undefined>;
}

/** The test context's skip, as vitest and node:test both pass it to a test function. */
export interface SkippableContext {
  skip?(note?: string): void;
}

/** The test functions of your framework; vitest's and node:test's fit as they are. */
export interface ContractTestApi {
  describe(name: string, fn: () => void): unknown;
  it(name: string, fn: (context: SkippableContext) => Promise<void>): unknown;
}

interface Case<Handle> {
  name: string;
  /** Set when the case needs two transactions open at once. */
  concurrent?: boolean;
  run(fixture: RunnerFixture<Handle>, key: (name: string) => string): Promise<void>;
}

const boom = () => new Error('boom');

async function expectRejects(promise: Promise<unknown>, check: (error: unknown) => boolean): Promise<void> {
  await rejects(promise, (error) => {
    if (!check(error)) throw error;
    return true;
  });
}

const isCode = (code: string) => (error: unknown) => error instanceof ServicesError && error.code === code;

/** The cases of the runner's own contract (begin, savepoint, client). */
function runnerCases<Handle>(): Case<Handle>[] {
  return [
    {
      name: 'commits the writes of a function that resolves, and resolves with its value',
      async run({ runner, write, read }, key) {
        const value = await runner.begin(async (tx) => {
          await write(tx, key('a'), '1');
          strictEqual(await read(tx, key('a')), '1');
          return 42;
        });
        strictEqual(value, 42);
        strictEqual(await read(runner.client, key('a')), '1');
      },
    },
    {
      name: 'rolls back every write of a function that rejects, and rejects with the very same error',
      async run({ runner, write, read }, key) {
        const error = boom();
        await expectRejects(
          runner.begin(async (tx) => {
            await write(tx, key('a'), '1');
            await write(tx, key('b'), '2');
            throw error;
          }),
          (thrown) => thrown === error,
        );
        strictEqual(await read(runner.client, key('a')), undefined);
        strictEqual(await read(runner.client, key('b')), undefined);
      },
    },
    {
      name: 'a rejected savepoint undoes only its own writes, and the transaction commits the rest',
      async run({ runner, write, read }, key) {
        const error = boom();
        await runner.begin(async (tx) => {
          await write(tx, key('outer'), '1');
          await expectRejects(
            runner.savepoint(tx, async (inner) => {
              await write(inner, key('inner'), '2');
              await write(inner, key('outer'), 'changed');
              throw error;
            }),
            (thrown) => thrown === error,
          );
          strictEqual(await read(tx, key('outer')), '1');
          await write(tx, key('after'), '3');
        });
        strictEqual(await read(runner.client, key('outer')), '1');
        strictEqual(await read(runner.client, key('inner')), undefined);
        strictEqual(await read(runner.client, key('after')), '3');
      },
    },
    {
      name: 'a released savepoint commits with its transaction and rolls back with it',
      async run({ runner, write, read }, key) {
        await runner.begin(async (tx) => {
          strictEqual(
            await runner.savepoint(tx, async (inner) => write(inner, key('kept'), '1').then(() => 7)),
            7,
          );
        });
        strictEqual(await read(runner.client, key('kept')), '1');
        await expectRejects(
          runner.begin(async (tx) => {
            await runner.savepoint(tx, (inner) => write(inner, key('lost'), '1'));
            throw boom();
          }),
          (error) => (error as Error).message === 'boom',
        );
        strictEqual(await read(runner.client, key('lost')), undefined);
      },
    },
    {
      name: 'writes through the client outside a transaction are visible at once',
      async run({ runner, write, read }, key) {
        await write(runner.client, key('a'), '1');
        strictEqual(await read(runner.client, key('a')), '1');
      },
    },
    {
      name: 'hides uncommitted writes from other handles until the commit',
      concurrent: true,
      async run({ runner, write, read }, key) {
        await runner.begin(async (tx) => {
          await write(tx, key('a'), '1');
          strictEqual(await read(runner.client, key('a')), undefined);
          strictEqual(await runner.begin((other) => read(other, key('a'))), undefined);
        });
        strictEqual(await read(runner.client, key('a')), '1');
      },
    },
    {
      name: 'two transactions open at once commit or roll back independently',
      concurrent: true,
      async run({ runner, write, read }, key) {
        let release!: () => void;
        const gate = new Promise<void>((resolve) => (release = resolve));
        const failing = runner.begin(async (tx) => {
          await write(tx, key('failing'), '1');
          await gate;
          throw boom();
        });
        await runner.begin(async (tx) => write(tx, key('passing'), '1'));
        release();
        await expectRejects(failing, (error) => (error as Error).message === 'boom');
        strictEqual(await read(runner.client, key('passing')), '1');
        strictEqual(await read(runner.client, key('failing')), undefined);
      },
    },
  ];
}

/** The cases of ambient transactions on top of the runner (transactions.ts). */
function ambientCases<Handle>(): Case<Handle>[] {
  return [
    {
      name: 'repository calls at any depth use the ambient transaction without a tx parameter',
      async run({ runner, write, read }, key) {
        const transactions = createTransactions(runner);
        const repository = { save: (name: string) => write(transactions.db(), key(name), 'x') };
        const deep = async (name: string) => {
          await new Promise((resolve) => setImmediate(resolve));
          await repository.save(name);
        };
        await expectRejects(
          transactions.transactional(async () => {
            await repository.save('direct');
            await deep('deep');
            await new Promise<void>((resolve, reject) =>
              setTimeout(() => deep('timer').then(resolve, reject), 1),
            );
            throw boom();
          }),
          (error) => (error as Error).message === 'boom',
        );
        for (const name of ['direct', 'deep', 'timer'])
          strictEqual(await read(runner.client, key(name)), undefined);
        strictEqual(transactions.inTransaction(), false);
        strictEqual(transactions.db(), runner.client);
      },
    },
    {
      name: 'required joins the open transaction: the outer failure rolls back the inner writes',
      async run({ runner, write, read }, key) {
        const transactions = createTransactions(runner);
        await expectRejects(
          transactions.transactional(async () => {
            const outer = transactions.db();
            await transactions.transactional(async () => {
              strictEqual(transactions.db(), outer);
              await write(transactions.db(), key('inner'), '1');
            });
            throw boom();
          }),
          (error) => (error as Error).message === 'boom',
        );
        strictEqual(await read(runner.client, key('inner')), undefined);
      },
    },
    {
      name: 'a joined call that failed makes the transaction roll back even when the caller swallowed the error',
      async run({ runner, write, read }, key) {
        const transactions = createTransactions(runner);
        await expectRejects(
          transactions.transactional(async () => {
            await write(transactions.db(), key('outer'), '1');
            await transactions
              .transactional(async () => {
                await write(transactions.db(), key('inner'), '1');
                throw boom();
              })
              .catch(() => {});
          }),
          (error) =>
            isCode('ERR_SERVICES_ROLLBACK_ONLY')(error) &&
            ((error as Error).cause as Error).message === 'boom',
        );
        strictEqual(await read(runner.client, key('outer')), undefined);
        strictEqual(await read(runner.client, key('inner')), undefined);
      },
    },
    {
      name: 'requiresNew commits on its own although the enclosing transaction rolls back',
      concurrent: true,
      async run({ runner, write, read }, key) {
        const transactions = createTransactions(runner);
        await expectRejects(
          transactions.transactional(async () => {
            const outer = transactions.db();
            await write(outer, key('outer'), '1');
            await transactions.transactional(
              async () => {
                equal(transactions.db() === outer, false);
                await write(transactions.db(), key('audit'), '1');
              },
              { propagation: 'requiresNew' },
            );
            strictEqual(transactions.db(), outer);
            throw boom();
          }),
          (error) => (error as Error).message === 'boom',
        );
        strictEqual(await read(runner.client, key('audit')), '1');
        strictEqual(await read(runner.client, key('outer')), undefined);
      },
    },
    {
      name: 'requiresNew outside a transaction opens one; inside it, a one-at-a-time runner refuses by name',
      async run({ runner, write, read }, key) {
        const transactions = createTransactions(runner);
        await transactions.transactional(() => write(transactions.db(), key('alone'), '1'), {
          propagation: 'requiresNew',
        });
        strictEqual(await read(runner.client, key('alone')), '1');
        if (runner.concurrent) return;
        await expectRejects(
          transactions.transactional(() =>
            transactions.transactional(async () => {}, { propagation: 'requiresNew' }),
          ),
          isCode('ERR_SERVICES_UNSUPPORTED_PROPAGATION'),
        );
      },
    },
    {
      name: 'mandatory refuses to run outside a transaction and joins one inside',
      async run({ runner, write, read }, key) {
        const transactions = createTransactions(runner);
        await expectRejects(
          transactions.transactional(() => write(transactions.db(), key('a'), '1'), {
            propagation: 'mandatory',
          }),
          isCode('ERR_SERVICES_NO_TRANSACTION'),
        );
        strictEqual(await read(runner.client, key('a')), undefined);
        await transactions.transactional(async () => {
          const outer = transactions.db();
          await transactions.transactional(async () => strictEqual(transactions.db(), outer), {
            propagation: 'mandatory',
          });
        });
      },
    },
    {
      name: 'never refuses to run inside a transaction and runs on the client outside one',
      async run({ runner, write, read }, key) {
        const transactions = createTransactions(runner);
        await expectRejects(
          transactions.transactional(() =>
            transactions.transactional(async () => {}, { propagation: 'never' }),
          ),
          isCode('ERR_SERVICES_TRANSACTION_EXISTS'),
        );
        await transactions.transactional(
          async () => {
            strictEqual(transactions.inTransaction(), false);
            strictEqual(transactions.db(), runner.client);
            await write(transactions.db(), key('a'), '1');
          },
          { propagation: 'never' },
        );
        strictEqual(await read(runner.client, key('a')), '1');
      },
    },
    {
      name: 'nested runs under a savepoint: its failure undoes only its writes and the outer commits',
      async run({ runner, write, read }, key) {
        const transactions = createTransactions(runner);
        await transactions.transactional(async () => {
          await write(transactions.db(), key('outer'), '1');
          await expectRejects(
            transactions.transactional(
              async () => {
                await write(transactions.db(), key('nested'), '1');
                throw boom();
              },
              { propagation: 'nested' },
            ),
            (error) => (error as Error).message === 'boom',
          );
          await transactions.transactional(() => write(transactions.db(), key('kept'), '1'), {
            propagation: 'nested',
          });
        });
        strictEqual(await read(runner.client, key('outer')), '1');
        strictEqual(await read(runner.client, key('nested')), undefined);
        strictEqual(await read(runner.client, key('kept')), '1');
      },
    },
    {
      name: 'dispatches events after the commit in order, never after a rollback or from a rolled-back savepoint',
      async run({ runner, write, read }, key) {
        const transactions = createTransactions(runner);
        const seen: Array<{ type: string; committed: string | undefined }> = [];
        transactions.subscribe('*', async (event: DomainEvent) => {
          seen.push({ type: event.type, committed: await read(runner.client, key('order')) });
        });
        await transactions.transactional(async () => {
          await write(transactions.db(), key('order'), 'placed');
          transactions.publish({ type: 'order.placed', payload: 1 });
          await transactions
            .transactional(
              async () => {
                transactions.publish({ type: 'from.failed.savepoint', payload: 2 });
                throw boom();
              },
              { propagation: 'nested' },
            )
            .catch(() => {});
          await transactions.transactional(
            async () => transactions.publish({ type: 'order.paid', payload: 3 }),
            {
              propagation: 'nested',
            },
          );
          deepStrictEqual(seen, []);
        });
        deepStrictEqual(seen, [
          { type: 'order.placed', committed: 'placed' },
          { type: 'order.paid', committed: 'placed' },
        ]);
        await expectRejects(
          transactions.transactional(async () => {
            transactions.publish({ type: 'order.cancelled', payload: 4 });
            throw boom();
          }),
          (error) => (error as Error).message === 'boom',
        );
        strictEqual(seen.length, 2);
      },
    },
    {
      name: 'runs afterCommit hooks once the commit is visible, outside the transaction, never after a rollback',
      async run({ runner, write, read }, key) {
        const transactions = createTransactions(runner);
        const seen: Array<string | undefined> = [];
        await transactions.transactional(async () => {
          await write(transactions.db(), key('a'), '1');
          transactions.afterCommit(async () => {
            strictEqual(transactions.inTransaction(), false);
            seen.push(await read(runner.client, key('a')));
          });
        });
        deepStrictEqual(seen, ['1']);
        await transactions
          .transactional(async () => {
            transactions.afterCommit(() => seen.push('rolled back'));
            throw boom();
          })
          .catch(() => {});
        deepStrictEqual(seen, ['1']);
      },
    },
    {
      name: 'parallel transactional() calls each see their own ambient transaction',
      async run({ runner, write, read }, key) {
        const transactions = createTransactions(runner);
        const names = ['p0', 'p1', 'p2', 'p3'];
        const outcomes = await Promise.allSettled(
          names.map((name, index) =>
            transactions.transactional(async () => {
              const mine = transactions.db();
              await write(mine, key(name), name);
              await new Promise((resolve) => setImmediate(resolve));
              strictEqual(transactions.db(), mine);
              if (index % 2 === 1) throw boom();
            }),
          ),
        );
        deepStrictEqual(
          outcomes.map((outcome) => outcome.status),
          ['fulfilled', 'rejected', 'fulfilled', 'rejected'],
        );
        deepStrictEqual(await Promise.all(names.map((name) => read(runner.client, key(name)))), [
          'p0',
          undefined,
          'p2',
          undefined,
        ]);
      },
    },
  ];
}

let suites = 0;

/**
 * Registers the contract suite for one runner: `open()` is called once, on the first case; each
 * case writes keys of its own. A case that needs two transactions open at once is skipped, by
 * name, for a runner whose `concurrent` is false.
 *
 * @example
 * import { describe, it } from 'vitest';
 * testTransactionRunner('my runner', async () => ({ runner, write, read }), { describe, it });
 */
export function testTransactionRunner<Handle>(
  name: string,
  open: () => Promise<RunnerFixture<Handle>>,
  api: ContractTestApi,
): void {
  const suite = `s${suites++}_${Date.now().toString(36)}`;
  let fixture: Promise<RunnerFixture<Handle>> | undefined;
  api.describe(`TransactionRunner contract: ${name}`, () => {
    [...runnerCases<Handle>(), ...ambientCases<Handle>()].forEach((testCase, index) => {
      api.it(testCase.name, async (context) => {
        fixture ??= open();
        const opened = await fixture;
        if (testCase.concurrent && !opened.runner.concurrent) {
          // Skipped by name, with the reason: the runner holds one transaction at a time.
          context?.skip?.(
            `the ${opened.runner.name} runner holds one transaction at a time (concurrent: false)`,
          );
          return;
        }
        await testCase.run(opened, (key) => `${suite}_${index}_${key}`);
      });
    });
  });
}
