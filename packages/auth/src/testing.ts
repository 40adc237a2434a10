// @plinth/auth/testing: the one contract suite every TokenStore must pass (memory and Redis here; yours
// too). You hand it your runner's describe/it/expect/afterAll (vitest or jest): the package needs no
// runner, and loads from CommonJS too. The suite passes `now` explicitly, so no case waits on a clock.
import { randomUUID } from 'node:crypto';
import type { RefreshRecord, TokenStore } from './store.js';

/** The part of vitest (or jest) the suite calls: pass `{ describe, it, expect, afterAll }` from 'vitest'. */
export interface ContractRunner {
  describe(name: string, body: () => void): void;
  it: ((name: string, body: () => Promise<void>) => void) & {
    skip(name: string, body: () => Promise<void>): void;
  };
  // biome-ignore lint/suspicious/noExplicitAny: the runner's own matcher types are not ours to restate.
  expect(value: unknown): any;
  afterAll(body: () => Promise<void>): void;
}

/** How the suite makes a store: fresh keys per run (`prefix`). */
export interface TokenStoreContractHarness {
  /** Your test runner's functions. */
  runner: ContractRunner;
  create(options: { prefix: string }): TokenStore | Promise<TokenStore>;
  /** Cases the driver cannot support, by name, with the reason (printed as the skip reason). */
  skip?: Record<string, string>;
}

const now = 1_800_000_000_000;
const record = (userId: string, family: string, expiresAt = now + 60_000): RefreshRecord => ({
  userId,
  family,
  expiresAt,
});

/**
 * Registers the TokenStore contract cases for one driver.
 *
 * @example
 * import { afterAll, describe, expect, it } from 'vitest';
 * runTokenStoreContract('redis', {
 *   runner: { describe, it, expect, afterAll },
 *   create: ({ prefix }) => redisTokenStore({ client, prefix }),
 * });
 */
export function runTokenStoreContract(name: string, harness: TokenStoreContractHarness): void {
  const { describe, it, expect, afterAll } = harness.runner;
  describe(`TokenStore contract: ${name}`, () => {
    const stores: TokenStore[] = [];
    afterAll(async () => {
      for (const store of stores) await store.close();
    });
    const fresh = async () => {
      const store = await harness.create({ prefix: `contract:${randomUUID()}:` });
      stores.push(store);
      return store;
    };
    const test = (title: string, body: () => Promise<void>) => {
      const reason = harness.skip?.[title];
      if (reason !== undefined) it.skip(`${title} (skipped: ${reason})`, body);
      else it(title, body);
    };

    test('answers the first consume active with the record, and every later one reused', async () => {
      const store = await fresh();
      await store.save('h1', record('u1', 'f1'));
      expect(await store.consume('h1', now)).toEqual({ status: 'active', record: record('u1', 'f1') });
      expect(await store.consume('h1', now)).toEqual({ status: 'reused', record: record('u1', 'f1') });
      expect((await store.consume('h1', now))?.status).toBe('reused');
    });

    test('answers undefined for an unknown token', async () => {
      const store = await fresh();
      expect(await store.consume('nope', now)).toBeUndefined();
    });

    test('answers undefined once the token has expired', async () => {
      const store = await fresh();
      await store.save('h1', record('u1', 'f1', now + 1_000));
      expect(await store.consume('h1', now + 1_000)).toBeUndefined();
      await store.save('h2', record('u1', 'f1', now + 1_000));
      expect((await store.consume('h2', now + 999))?.status).toBe('active');
    });

    test('lets exactly one of many concurrent consumes see the token active', async () => {
      const store = await fresh();
      await store.save('race', record('u1', 'f1'));
      const results = await Promise.all(Array.from({ length: 25 }, () => store.consume('race', now)));
      expect(results.filter((result) => result?.status === 'active')).toHaveLength(1);
      expect(results.filter((result) => result?.status === 'reused')).toHaveLength(24);
    });

    test('revokes a whole family, used and unused tokens alike, and nothing else', async () => {
      const store = await fresh();
      await store.save('a1', record('u1', 'fa'));
      await store.save('a2', record('u1', 'fa'));
      await store.save('b1', record('u1', 'fb'));
      await store.consume('a1', now);
      await store.revokeFamily('fa');
      expect(await store.consume('a1', now)).toBeUndefined();
      expect(await store.consume('a2', now)).toBeUndefined();
      expect((await store.consume('b1', now))?.status).toBe('active');
    });

    test("revokes every family of a user and no other user's", async () => {
      const store = await fresh();
      await store.save('u1a', record('u1', 'f1'));
      await store.save('u1b', record('u1', 'f2'));
      await store.save('u2a', record('u2', 'f3'));
      await store.revokeUser('u1');
      expect(await store.consume('u1a', now)).toBeUndefined();
      expect(await store.consume('u1b', now)).toBeUndefined();
      expect((await store.consume('u2a', now))?.status).toBe('active');
      await store.save('u1c', record('u1', 'f4'));
      expect((await store.consume('u1c', now))?.status).toBe('active');
    });

    test('keeps stores with different prefixes apart', async () => {
      const one = await fresh();
      const two = await fresh();
      await one.save('shared', record('u1', 'f1'));
      expect(await two.consume('shared', now)).toBeUndefined();
    });
  });
}
