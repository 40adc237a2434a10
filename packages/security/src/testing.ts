// @plinth/security/testing: the one contract suite every RateLimitStore must pass (memory and Redis
// here; yours too). You hand it your runner's describe/it/expect/afterEach (vitest or jest), so the
// package needs no test runner; the store is driven by a manual clock, so no case waits.
import type { ConsumeRequest, RateLimitStore } from './store.js';

/** The part of vitest (or jest) the suite calls: pass `{ describe, it, expect, afterEach }` from 'vitest'. */
export interface TestApi {
  describe(name: string, body: () => void): void;
  it: ((name: string, body: () => Promise<void>) => void) & {
    skip(name: string, body: () => Promise<void>): void;
  };
  // biome-ignore lint/suspicious/noExplicitAny: the runner's own expect, whatever its matcher types.
  expect: (value: unknown, message?: string) => any;
  afterEach(body: () => Promise<void>): void;
}

/** How the suite makes a store: fresh keys per case (`prefix`), the clock the suite controls. */
export interface StoreContractHarness {
  create(options: { now: () => number; prefix: string }): RateLimitStore | Promise<RateLimitStore>;
  /** Cases the driver cannot support, by name, with the reason (printed as the skip reason). */
  skip?: Record<string, string>;
}

// A window start: every window of the suite (10 s, 60 s) begins here.
const start = 1_700_000_040_000;
const policy = (key: string, extra: Partial<ConsumeRequest> = {}): ConsumeRequest => ({
  key,
  algorithm: 'fixed-window',
  limit: 3,
  windowMs: 10_000,
  ...extra,
});

/**
 * Registers the contract cases for one driver.
 *
 * @example
 * import { afterEach, describe, expect, it } from 'vitest';
 * runStoreContract({ describe, it, expect, afterEach }, 'redis', {
 *   create: ({ now, prefix }) => redisStore({ client, now, prefix }),
 * });
 */
export function runStoreContract(api: TestApi, name: string, harness: StoreContractHarness): void {
  const { afterEach, describe, expect, it } = api;
  describe(`RateLimitStore contract: ${name}`, () => {
    let time = start;
    let counter = 0;
    const stores: RateLimitStore[] = [];
    const make = async () => {
      time = start;
      const store = await harness.create({
        now: () => time,
        prefix: `contract:${process.pid}:${Date.now()}:${counter++}:`,
      });
      stores.push(store);
      return store;
    };
    afterEach(async () => {
      await Promise.all(stores.splice(0).map((store) => store.close()));
    });
    const test = (title: string, body: () => Promise<void>) =>
      harness.skip?.[title] === undefined
        ? it(title, body)
        : it.skip(`${title} (${harness.skip[title]})`, body);

    test('fixed window allows the limit, then denies until the window ends', async () => {
      const store = await make();
      const results = [];
      for (let index = 0; index < 4; index++) results.push((await store.consume([policy('a')]))[0]!);
      expect(results.map((result) => result.allowed)).toEqual([true, true, true, false]);
      expect(results.map((result) => result.remaining)).toEqual([2, 1, 0, 0]);
      expect(results[3]).toMatchObject({ resetMs: 10_000, retryAfterMs: 10_000 });
      time += 4_000;
      expect((await store.consume([policy('a')]))[0]).toMatchObject({ allowed: false, retryAfterMs: 6_000 });
      time += 6_000;
      expect((await store.consume([policy('a')]))[0]).toMatchObject({ allowed: true, remaining: 2 });
    });

    test('sliding window weighs the previous window by its overlap', async () => {
      const store = await make();
      const sliding = policy('s', { algorithm: 'sliding-window', limit: 10 });
      for (let index = 0; index < 10; index++) await store.consume([sliding]);
      expect((await store.consume([sliding]))[0]).toMatchObject({ allowed: false, retryAfterMs: 11_000 });
      time += 15_000; // half way through the next window: the 10 count as 5
      const next = [];
      for (let index = 0; index < 6; index++) next.push((await store.consume([sliding]))[0]!);
      expect(next.map((result) => result.allowed)).toEqual([true, true, true, true, true, false]);
      expect(next[4]!.remaining).toBe(0);
      // Denied with 5 in this window and 5 weighted: one slot frees when the weight falls to 4 (t = 0.6).
      expect(next[5]!.retryAfterMs).toBe(1_000);
    });

    test('token bucket (GCRA) allows a burst, then one request per interval', async () => {
      const store = await make();
      const bucket = policy('t', { algorithm: 'token-bucket', limit: 5, windowMs: 1_000, burst: 5 });
      const burst = [];
      for (let index = 0; index < 6; index++) burst.push((await store.consume([bucket]))[0]!);
      expect(burst.map((result) => result.allowed)).toEqual([true, true, true, true, true, false]);
      expect(burst[4]).toMatchObject({ remaining: 0, resetMs: 1_000 });
      expect(burst[5]).toMatchObject({ allowed: false, retryAfterMs: 200 });
      time += 200;
      expect((await store.consume([bucket]))[0]).toMatchObject({ allowed: true, remaining: 0 });
      expect((await store.consume([bucket]))[0]!.allowed).toBe(false);
    });

    test('several policies are all or nothing: a denial records none of them', async () => {
      const store = await make();
      const wide = policy('wide', { limit: 100 });
      const narrow = policy('narrow', { limit: 1 });
      await store.consume([wide, narrow]);
      const denied = await store.consume([wide, narrow]);
      expect(denied.map((result) => result.allowed)).toEqual([true, false]);
      expect(denied[0]!.remaining).toBe(99);
      expect((await store.consume([wide]))[0]!.remaining).toBe(98);
    });

    test('force records the cost even when denied', async () => {
      const store = await make();
      const one = policy('f', { limit: 1 });
      await store.consume([one]);
      expect((await store.consume([{ ...one, force: true, cost: 5 }]))[0]!.allowed).toBe(false);
      expect((await store.consume([policy('f', { limit: 10 })]))[0]!.remaining).toBe(3);
    });

    test('cost 0 looks without recording', async () => {
      const store = await make();
      await store.consume([policy('c')]);
      expect((await store.consume([policy('c', { cost: 0 })]))[0]).toMatchObject({
        allowed: true,
        remaining: 2,
      });
      expect((await store.consume([policy('c')]))[0]!.remaining).toBe(1);
    });

    test('reset forgets the keys', async () => {
      const store = await make();
      for (let index = 0; index < 3; index++) await store.consume([policy('r')]);
      await store.reset(['r']);
      expect((await store.consume([policy('r')]))[0]).toMatchObject({ allowed: true, remaining: 2 });
    });

    test('keys are independent', async () => {
      const store = await make();
      for (let index = 0; index < 3; index++) await store.consume([policy('k1')]);
      expect((await store.consume([policy('k2')]))[0]!.allowed).toBe(true);
    });

    test('calls made together are answered as if made one after another, each by its own policies', async () => {
      const variants: ConsumeRequest[][] = [
        [policy('m1', { limit: 5 })],
        [policy('m2', { limit: 7, cost: 2 })],
        [policy('m3', { algorithm: 'token-bucket', limit: 5, windowMs: 1_000, burst: 3 })],
        [policy('m4', { algorithm: 'sliding-window', limit: 9 })],
        [policy('m1', { limit: 5 }), policy('m5', { limit: 4, force: true })],
      ];
      const calls = Array.from({ length: 60 }, (_, index) => variants[index % variants.length]!);
      const together = await make();
      const answers = await Promise.all(calls.map((requests) => together.consume(requests)));
      const oneByOne = await make();
      const expected = [];
      for (const requests of calls) expected.push(await oneByOne.consume(requests));
      expect(answers).toEqual(expected);
      expect(answers.flat().filter((result) => result.allowed).length).toBeGreaterThan(0);
    });

    test('concurrent calls never let more than the limit through', async () => {
      const store = await make();
      const limited = policy('p', { limit: 50, algorithm: 'sliding-window' });
      const results = await Promise.all(Array.from({ length: 200 }, () => store.consume([limited])));
      expect(results.filter(([result]) => result!.allowed)).toHaveLength(50);
    });
  });
}
