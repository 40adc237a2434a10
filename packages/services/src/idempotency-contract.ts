// The contract suite of idempotent commands: createIdempotency() on PostgreSQL and PGlite and
// memoryIdempotency() pass the same cases, so a unit test on the memory runner promises what
// production does.
import { deepStrictEqual, ok, rejects, strictEqual } from 'node:assert/strict';
import { DomainError, isDomainError } from './domain-error.js';
import type { Idempotency } from './idempotency-key.js';
import { err } from './result.js';
import type { ContractTestApi, SkippableContext } from './runner-contract.js';
import type { Transactions } from './transactions.js';

/** Idempotent commands under test, the transactions they run in, and a way to see the command's writes. */
export interface IdempotencyFixture<Handle> {
  idempotency: Idempotency;
  transactions: Transactions<Handle>;
  /** Writes `value` under `key` through `handle` (the command writes through transactions.db()). */
  write(handle: Handle, key: string, value: string): Promise<void>;
  /** Reads `key` through `handle`; undefined when it is absent. */
  read(handle: Handle, key: string): Promise<string | undefined>;
  /** Makes the stored idempotency key `key` expired, as if its ttl had passed. */
  expire(key: string): Promise<void>;
}

interface Case<Handle> {
  name: string;
  /** Set when the case needs two transactions open at once (the bounded wait). */
  concurrent?: boolean;
  run(fixture: IdempotencyFixture<Handle>, key: (name: string) => string): Promise<void>;
}

const code = (expected: string, status?: number) => (error: unknown) => {
  strictEqual((error as { code?: string }).code, expected);
  if (status !== undefined) strictEqual((error as { status?: number }).status, status);
  return true;
};

function cases<Handle>(): Case<Handle>[] {
  return [
    {
      name: 'runs a command once per key and answers repeats with its stored JSON result',
      async run({ idempotency }, key) {
        let runs = 0;
        const command = async () => ({ run: ++runs, at: new Date(0) });
        const first = await idempotency.run(key('k'), command);
        const second = await idempotency.run(key('k'), command);
        deepStrictEqual(first, { run: 1, at: '1970-01-01T00:00:00.000Z' });
        deepStrictEqual(second, first);
        strictEqual(runs, 1);
      },
    },
    {
      name: 'lets exactly one of several concurrent duplicates run; the others get its result',
      async run({ idempotency }, key) {
        let runs = 0;
        let release!: () => void;
        const gate = new Promise<void>((resolve) => (release = resolve));
        const calls = Array.from({ length: 5 }, () =>
          idempotency.run(key('race'), async () => {
            runs++;
            await gate;
            return { run: runs };
          }),
        );
        setTimeout(release, 20);
        const results = await Promise.all(calls);
        strictEqual(runs, 1);
        for (const result of results) deepStrictEqual(result, { run: 1 });
      },
    },
    {
      name: "commits the command's writes with its key, and keeps nothing of a failed run so a retry runs",
      async run({ idempotency, transactions, write, read }, key) {
        await rejects(
          idempotency.run(key('fail'), async () => {
            await write(transactions.db(), key('fail-write'), 'x');
            throw new Error('card declined');
          }),
          /card declined/,
        );
        strictEqual(await read(transactions.runner.client, key('fail-write')), undefined);
        const value = await idempotency.run(key('fail'), async () => {
          await write(transactions.db(), key('fail-write'), 'paid');
          return 'paid';
        });
        strictEqual(value, 'paid');
        strictEqual(await read(transactions.runner.client, key('fail-write')), 'paid');
      },
    },
    {
      name: 'keeps undefined and null results apart',
      async run({ idempotency }, key) {
        strictEqual(await idempotency.run(key('u'), async () => undefined), undefined);
        strictEqual(await idempotency.run(key('u'), async () => 'other'), undefined);
        strictEqual(await idempotency.run(key('n'), async () => null), null);
      },
    },
    {
      name: 'answers a repeat of an err() Result with the same DomainError',
      async run({ idempotency }, key) {
        const failure = async () =>
          err(new DomainError('OUT_OF_STOCK', 'SKU 9 is gone.', { details: { sku: '9' } }));
        await idempotency.run(key('err'), failure);
        const repeat = (await idempotency.run(key('err'), async () => 'not run')) as unknown as {
          error: DomainError;
        };
        ok(isDomainError(repeat.error));
        deepStrictEqual(
          { code: repeat.error.code, message: repeat.error.message, details: repeat.error.details },
          { code: 'OUT_OF_STOCK', message: 'SKU 9 is gone.', details: { sku: '9' } },
        );
      },
    },
    {
      name: 'refuses the same key with another fingerprint (422) and answers the same one',
      async run({ idempotency }, key) {
        await idempotency.run(key('f'), async () => 1, { fingerprint: 'sha256:aaa' });
        strictEqual(await idempotency.run(key('f'), async () => 2, { fingerprint: 'sha256:aaa' }), 1);
        await rejects(
          idempotency.run(key('f'), async () => 2, { fingerprint: 'sha256:bbb' }),
          code('ERR_SERVICES_IDEMPOTENCY_KEY_REUSED', 422),
        );
      },
    },
    {
      name: 'runs the command again once its key expired, and purges expired keys',
      async run({ idempotency, expire }, key) {
        let runs = 0;
        await idempotency.run(key('e'), async () => ++runs);
        await expire(key('e'));
        strictEqual(await idempotency.run(key('e'), async () => ++runs), 2);
        await expire(key('e'));
        ok((await idempotency.purgeExpired()) >= 1);
        strictEqual(await idempotency.run(key('e'), async () => ++runs), 3);
      },
    },
    {
      name: 'refuses a result that JSON cannot hold, and keeps nothing of that run',
      async run({ idempotency }, key) {
        await rejects(
          idempotency.run(key('big'), async () => 1n),
          code('ERR_SERVICES_RESULT_NOT_SERIALIZABLE'),
        );
        strictEqual(await idempotency.run(key('big'), async () => 'ran'), 'ran');
      },
    },
    {
      name: 'refuses an empty or oversized key with a 400 naming the rule',
      async run({ idempotency }) {
        await rejects(
          idempotency.run('', async () => 1),
          code('ERR_SERVICES_INVALID_OPTION', 400),
        );
        await rejects(
          idempotency.run('x'.repeat(256), async () => 1),
          /1–255 characters/,
        );
      },
    },
    {
      name: 'answers a duplicate that waited past waitTimeout with 409 in progress (fixture waitTimeout < 1 s)',
      concurrent: true,
      async run({ idempotency }, key) {
        let release!: () => void;
        const gate = new Promise<void>((resolve) => (release = resolve));
        let started!: () => void;
        const running = new Promise<void>((resolve) => (started = resolve));
        const first = idempotency.run(key('slow'), async () => {
          started();
          await gate;
          return 'first';
        });
        await running;
        await rejects(
          idempotency.run(key('slow'), async () => 'second'),
          code('ERR_SERVICES_IDEMPOTENCY_IN_PROGRESS', 409),
        );
        release();
        strictEqual(await first, 'first');
        strictEqual(await idempotency.run(key('slow'), async () => 'third'), 'first');
      },
    },
  ];
}

let suites = 0;

/**
 * Registers the contract suite of idempotent commands: `open()` is called once, on the first case
 * (give it a `waitTimeout` under a second). The bounded-wait case is skipped, by name, when the
 * runner holds one transaction at a time (PGlite: a duplicate waits for the session itself).
 */
export function testIdempotency<Handle>(
  name: string,
  open: () => Promise<IdempotencyFixture<Handle>>,
  api: ContractTestApi,
): void {
  const suite = `i${suites++}_${Date.now().toString(36)}`;
  let fixture: Promise<IdempotencyFixture<Handle>> | undefined;
  api.describe(`Idempotency contract: ${name}`, () => {
    cases<Handle>().forEach((testCase, index) => {
      api.it(testCase.name, async (context: SkippableContext) => {
        fixture ??= open();
        const opened = await fixture;
        if (testCase.concurrent && !opened.transactions.runner.concurrent) {
          context?.skip?.(
            `the ${opened.transactions.runner.name} runner holds one transaction at a time: a duplicate waits for the session, not for a lock`,
          );
          return;
        }
        await testCase.run(opened, (key) => `${suite}_${index}_${key}`);
      });
    });
  });
}
