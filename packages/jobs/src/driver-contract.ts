// The one contract every QueueDriver passes (memory, Redis, PostgreSQL, yours): atomic claims, order,
// leases, retries, dead letters, redrive, groups, keys. A manual clock drives time, so no case waits.
// You hand it your runner's describe/it/expect/afterEach (vitest or jest): the package needs no runner.
import type { NewJob, QueueDriver } from './driver.js';

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

/** How the suite makes a driver: a queue name no other case shares, and the clock the suite controls. */
export interface DriverContractHarness {
  create(options: { now: () => number }): QueueDriver | Promise<QueueDriver>;
  /** Cases the driver cannot support, by title, with the reason (shown as the skip reason). */
  skip?: Record<string, string>;
}

const start = 1_800_000_000_000;
const job = (id: string, extra: Partial<NewJob> = {}): NewJob => ({
  id,
  name: 'work',
  payload: { id },
  priority: 0,
  maxAttempts: 3,
  ...extra,
});

/**
 * Registers the contract cases for one driver.
 *
 * @example
 * import { afterEach, describe, expect, it } from 'vitest';
 * runDriverContract({ describe, it, expect, afterEach }, 'redis', {
 *   create: ({ now }) => redisDriver({ client, prefix: 'test:', now }),
 * });
 */
export function runDriverContract(api: TestApi, name: string, harness: DriverContractHarness): void {
  const { describe, it, expect, afterEach } = api;
  describe(`QueueDriver contract: ${name}`, () => {
    let time = start;
    let counter = 0;
    const drivers: QueueDriver[] = [];
    const make = async () => {
      time = start;
      const driver = await harness.create({ now: () => time });
      drivers.push(driver);
      return { driver, queue: `q${process.pid}-${Date.now()}-${counter++}` };
    };
    afterEach(async () => {
      await Promise.all(drivers.splice(0).map((driver) => driver.close()));
    });
    const test = (title: string, body: () => Promise<void>) =>
      harness.skip?.[title] === undefined
        ? it(title, body)
        : it.skip(`${title} (${harness.skip[title]})`, body);

    test('adds jobs once per id, whatever state the first one is in', async () => {
      const { driver, queue } = await make();
      expect((await driver.add(queue, [job('a'), job('b'), job('a')])).map((result) => result.added)).toEqual(
        [true, true, false],
      );
      const [claimed] = await driver.claim(queue, { limit: 1, leaseMs: 1000 });
      await driver.complete(queue, claimed!.id, claimed!.token, 'done');
      expect(await driver.add(queue, [job(claimed!.id)])).toEqual([{ id: claimed!.id, added: false }]);
      expect((await driver.counts(queue)).waiting).toBe(1);
    });

    test('stores payloads and results as JSON round trips', async () => {
      const { driver, queue } = await make();
      const payload = {
        text: 'grüße 👋 "quoted"',
        list: [1, 2.5, null, true],
        nested: { deep: { value: -1 } },
      };
      await driver.add(queue, [job('a', { payload, name: 'email' })]);
      const [claimed] = await driver.claim(queue, { limit: 1, leaseMs: 1000 });
      expect(claimed).toMatchObject({
        id: 'a',
        name: 'email',
        payload,
        attempts: 1,
        maxAttempts: 3,
        state: 'active',
        queue,
      });
      expect(await driver.complete(queue, 'a', claimed!.token, { sent: [1, 2] })).toBe(true);
      expect(await driver.get(queue, 'a')).toMatchObject({
        state: 'completed',
        result: { sent: [1, 2] },
        finishedAt: start,
      });
      expect(await driver.get(queue, 'missing')).toBeUndefined();
    });

    test('claims higher priority first, then earlier runAt, then insertion order', async () => {
      const { driver, queue } = await make();
      await driver.add(queue, [
        job('low', { priority: -1 }),
        job('plain-1'),
        job('urgent', { priority: 10 }),
        job('plain-2'),
        job('older', { runAt: start - 5000 }),
      ]);
      const claimed = await driver.claim(queue, { limit: 10, leaseMs: 1000 });
      expect(claimed.map((entry) => entry.id)).toEqual(['urgent', 'older', 'plain-1', 'plain-2', 'low']);
    });

    test('keeps delayed jobs until their runAt', async () => {
      const { driver, queue } = await make();
      await driver.add(queue, [job('later', { runAt: start + 60_000 }), job('now')]);
      expect((await driver.counts(queue)).delayed).toBe(1);
      expect((await driver.list(queue, 'delayed')).map((entry) => entry.id)).toEqual(['later']);
      expect((await driver.claim(queue, { limit: 10, leaseMs: 1000 })).map((entry) => entry.id)).toEqual([
        'now',
      ]);
      time = start + 59_999;
      expect(await driver.claim(queue, { limit: 10, leaseMs: 1000 })).toEqual([]);
      time = start + 60_000;
      expect((await driver.claim(queue, { limit: 10, leaseMs: 1000 })).map((entry) => entry.id)).toEqual([
        'later',
      ]);
    });

    test('never gives one job to two concurrent claims', async () => {
      const { driver, queue } = await make();
      await driver.add(
        queue,
        Array.from({ length: 40 }, (_, index) => job(`j${index}`)),
      );
      const batches = await Promise.all(
        Array.from({ length: 12 }, () => driver.claim(queue, { limit: 4, leaseMs: 1000 })),
      );
      const ids = batches.flat().map((entry) => entry.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids.length).toBe(40);
      expect((await driver.counts(queue)).active).toBe(40);
    });

    test('acts on an active job only with the token of its current lease', async () => {
      const { driver, queue } = await make();
      await driver.add(queue, [job('a')]);
      const [claimed] = await driver.claim(queue, { limit: 1, leaseMs: 1000 });
      expect(await driver.complete(queue, 'a', 'not-the-token', 1)).toBe(false);
      expect(await driver.fail(queue, 'a', 'not-the-token', { error: 'x' })).toBe('lost');
      expect(await driver.progress(queue, 'a', 'not-the-token', 50)).toBe(false);
      expect(await driver.extend(queue, [{ id: 'a', token: 'not-the-token' }], 1000)).toEqual([]);
      expect(await driver.progress(queue, 'a', claimed!.token, { percent: 50 })).toBe(true);
      expect(await driver.get(queue, 'a')).toMatchObject({ state: 'active', progress: { percent: 50 } });
      expect(await driver.complete(queue, 'a', claimed!.token, null)).toBe(true);
      expect(await driver.complete(queue, 'a', claimed!.token, null)).toBe(false);
    });

    // completeAndClaim is optional: a driver without it passes these two cases as they stand (its
    // workers complete and claim in two calls); memory, Redis and PostgreSQL all implement it.
    test('completeAndClaim completes by token, then claims, in one call', async () => {
      const { driver, queue } = await make();
      if (!driver.completeAndClaim) return;
      await driver.add(queue, [job('a'), job('b'), job('c'), job('d', { priority: -1 })]);
      const [a, b] = await driver.claim(queue, { limit: 2, leaseMs: 1000 });
      time += 10;
      const first = await driver.completeAndClaim(
        queue,
        [
          { id: 'a', token: a!.token, result: { sent: true } },
          { id: 'b', token: 'not-the-token', result: null },
        ],
        { limit: 1, leaseMs: 1000 },
      );
      expect(first.completed).toEqual([true, false]);
      expect(first.jobs).toHaveLength(1);
      expect(first.jobs[0]).toMatchObject({
        id: 'c',
        name: 'work',
        payload: { id: 'c' },
        state: 'active',
        attempts: 1,
        maxAttempts: 3,
        priority: 0,
        runAt: start,
        createdAt: start,
        startedAt: start + 10,
        leaseUntil: start + 1010,
        queue,
      });
      const c = first.jobs[0]!;
      expect([a!.token, b!.token]).not.toContain(c.token);
      expect(await driver.get(queue, 'a')).toMatchObject({
        state: 'completed',
        result: { sent: true },
        finishedAt: start + 10,
      });
      expect(await driver.get(queue, 'b')).toMatchObject({ state: 'active' });
      // A limit of 0 only completes; no completions only claims.
      expect(
        await driver.completeAndClaim(queue, [{ id: 'b', token: b!.token, result: 2 }], {
          limit: 0,
          leaseMs: 1000,
        }),
      ).toEqual({ completed: [true], jobs: [] });
      const last = await driver.completeAndClaim(queue, [], { limit: 5, leaseMs: 1000 });
      expect(last.completed).toEqual([]);
      expect(last.jobs.map((entry) => entry.id)).toEqual(['d']);
      expect(await driver.complete(queue, 'c', c.token, null)).toBe(true);
      expect(await driver.complete(queue, 'd', last.jobs[0]!.token, null)).toBe(true);
      expect(await driver.counts(queue)).toMatchObject({ waiting: 0, active: 0, completed: 4 });
    });

    test('completeAndClaim frees a group slot for the claim it makes', async () => {
      const { driver, queue } = await make();
      if (!driver.completeAndClaim) return;
      await driver.add(queue, [job('a1', { group: 'a' }), job('a2', { group: 'a' })]);
      const fair = { limit: 10, leaseMs: 1000, groupConcurrency: 1 };
      const [a1] = await driver.claim(queue, fair);
      expect((await driver.completeAndClaim(queue, [], fair)).jobs).toEqual([]);
      const next = await driver.completeAndClaim(queue, [{ id: 'a1', token: a1!.token, result: null }], fair);
      expect(next.completed).toEqual([true]);
      expect(next.jobs.map((entry) => entry.id)).toEqual(['a2']);
      expect((await driver.get(queue, 'a2'))?.state).toBe('active');
    });

    test('retries a failed job at retryAt, then sends it to the dead letters when attempts run out', async () => {
      const { driver, queue } = await make();
      await driver.add(queue, [job('a', { maxAttempts: 2 })]);
      const [first] = await driver.claim(queue, { limit: 1, leaseMs: 1000 });
      expect(await driver.fail(queue, 'a', first!.token, { error: 'boom 1', retryAt: start + 5000 })).toBe(
        'retried',
      );
      expect(await driver.get(queue, 'a')).toMatchObject({
        state: 'waiting',
        attempts: 1,
        error: 'boom 1',
        runAt: start + 5000,
      });
      expect(await driver.claim(queue, { limit: 1, leaseMs: 1000 })).toEqual([]);
      time = start + 5000;
      const [second] = await driver.claim(queue, { limit: 1, leaseMs: 1000 });
      expect(second).toMatchObject({ id: 'a', attempts: 2 });
      expect(await driver.fail(queue, 'a', second!.token, { error: 'boom 2', retryAt: start + 9000 })).toBe(
        'dead',
      );
      expect(await driver.list(queue, 'dead')).toMatchObject([
        { id: 'a', state: 'dead', error: 'boom 2', attempts: 2 },
      ]);
      expect((await driver.counts(queue)).dead).toBe(1);
    });

    test('fails straight to the dead letters without retryAt', async () => {
      const { driver, queue } = await make();
      await driver.add(queue, [job('a', { maxAttempts: 5 })]);
      const [claimed] = await driver.claim(queue, { limit: 1, leaseMs: 1000 });
      expect(await driver.fail(queue, 'a', claimed!.token, { error: 'permanent' })).toBe('dead');
    });

    test('redrives a dead job from its first attempt, and nothing else', async () => {
      const { driver, queue } = await make();
      await driver.add(queue, [job('a', { maxAttempts: 1 }), job('b')]);
      const claimed = await driver.claim(queue, { limit: 1, leaseMs: 1000 });
      await driver.fail(queue, 'a', claimed[0]!.token, { error: 'x', retryAt: start });
      expect(await driver.redrive(queue, 'b')).toBe(false);
      expect(await driver.redrive(queue, 'missing')).toBe(false);
      expect(await driver.redrive(queue, 'a')).toBe(true);
      expect(await driver.get(queue, 'a')).toMatchObject({ state: 'waiting', attempts: 0 });
      const again = await driver.claim(queue, { limit: 1, leaseMs: 1000 });
      expect(again[0]).toMatchObject({ id: 'a', attempts: 1 });
    });

    test('recovers a job whose lease expired and refuses the old lease afterwards', async () => {
      const { driver, queue } = await make();
      await driver.add(queue, [job('a'), job('b')]);
      const claimed = await driver.claim(queue, { limit: 2, leaseMs: 1000 });
      time = start + 900;
      expect(await driver.extend(queue, [{ id: 'b', token: claimed[1]!.token }], 1000)).toEqual(['b']);
      expect(await driver.recover(queue)).toEqual([]);
      time = start + 1000;
      expect(await driver.recover(queue)).toEqual(['a']);
      expect(await driver.get(queue, 'a')).toMatchObject({ state: 'waiting', attempts: 1 });
      expect(await driver.complete(queue, 'a', claimed[0]!.token, 1)).toBe(false);
      const [again] = await driver.claim(queue, { limit: 1, leaseMs: 1000 });
      expect(again).toMatchObject({ id: 'a', attempts: 2 });
      expect(again!.token).not.toBe(claimed[0]!.token);
      expect(await driver.complete(queue, 'b', claimed[1]!.token, 1)).toBe(true);
    });

    test('sends a stalled job with no attempts left to the dead letters', async () => {
      const { driver, queue } = await make();
      await driver.add(queue, [job('a', { maxAttempts: 1 })]);
      await driver.claim(queue, { limit: 1, leaseMs: 1000 });
      time = start + 1000;
      expect(await driver.recover(queue)).toEqual(['a']);
      expect(await driver.get(queue, 'a')).toMatchObject({ state: 'dead' });
    });

    test('releases a job back to waiting without counting the attempt', async () => {
      const { driver, queue } = await make();
      await driver.add(queue, [job('a')]);
      const [claimed] = await driver.claim(queue, { limit: 1, leaseMs: 1000 });
      expect(await driver.release(queue, 'a', claimed!.token)).toBe(true);
      expect(await driver.get(queue, 'a')).toMatchObject({ state: 'waiting', attempts: 0 });
      expect(await driver.release(queue, 'a', claimed!.token)).toBe(false);
      expect(await driver.claim(queue, { limit: 1, leaseMs: 1000 })).toHaveLength(1);
    });

    test('keeps at most groupConcurrency active jobs per group and skips past a full group', async () => {
      const { driver, queue } = await make();
      await driver.add(queue, [
        job('a1', { group: 'a' }),
        job('a2', { group: 'a' }),
        job('a3', { group: 'a' }),
        job('b1', { group: 'b' }),
        job('none'),
      ]);
      const first = await driver.claim(queue, { limit: 10, leaseMs: 1000, groupConcurrency: 1 });
      expect(first.map((entry) => entry.id)).toEqual(['a1', 'b1', 'none']);
      expect(await driver.claim(queue, { limit: 10, leaseMs: 1000, groupConcurrency: 1 })).toEqual([]);
      await driver.complete(queue, 'a1', first[0]!.token, null);
      expect(
        (await driver.claim(queue, { limit: 10, leaseMs: 1000, groupConcurrency: 1 })).map(
          (entry) => entry.id,
        ),
      ).toEqual(['a2']);
    });

    test('claims at most groupRate.limit jobs of a group per window, other groups unaffected', async () => {
      const { driver, queue } = await make();
      await driver.add(queue, [
        ...['a1', 'a2', 'a3', 'a4', 'a5'].map((id) => job(id, { group: 'a' })),
        job('b1', { group: 'b' }),
        job('free'),
      ]);
      const groupRate = { limit: 2, windowMs: 10_000 };
      const ids = async () =>
        (await driver.claim(queue, { limit: 10, leaseMs: 60_000, groupRate })).map((entry) => entry.id);
      expect(await ids()).toEqual(['a1', 'a2', 'b1', 'free']);
      expect(await ids()).toEqual([]);
      time = start + 10_000; // the next window (start is a multiple of 10 s)
      expect(await ids()).toEqual(['a3', 'a4']);
    });

    test('counts jobs by state and the latency of the oldest due job', async () => {
      const { driver, queue } = await make();
      await driver.add(queue, [job('a'), job('b'), job('c'), job('d', { runAt: start + 10_000 })]);
      const [claimed] = await driver.claim(queue, { limit: 1, leaseMs: 1000 });
      await driver.complete(queue, claimed!.id, claimed!.token, null);
      await driver.claim(queue, { limit: 1, leaseMs: 1000 });
      time = start + 250;
      expect(await driver.counts(queue)).toEqual({
        waiting: 1,
        delayed: 1,
        active: 1,
        completed: 1,
        dead: 0,
        latency: 250,
      });
    });

    test('lists waiting jobs in claim order, with paging', async () => {
      const { driver, queue } = await make();
      await driver.add(queue, [job('a'), job('b', { priority: 1 }), job('c')]);
      expect((await driver.list(queue, 'waiting')).map((entry) => entry.id)).toEqual(['b', 'a', 'c']);
      expect((await driver.list(queue, 'waiting', { limit: 1, offset: 1 })).map((entry) => entry.id)).toEqual(
        ['a'],
      );
    });

    test('removes jobs that are not active', async () => {
      const { driver, queue } = await make();
      await driver.add(queue, [job('a'), job('b')]);
      await driver.claim(queue, { limit: 1, leaseMs: 1000 });
      expect(await driver.remove(queue, 'a')).toBe(false);
      expect(await driver.remove(queue, 'b')).toBe(true);
      expect(await driver.get(queue, 'b')).toBeUndefined();
      expect(await driver.add(queue, [job('b')])).toEqual([{ id: 'b', added: true }]);
    });

    test('complete with remove deletes the job, its id and dedupe key free again; others keep results', async () => {
      const { driver, queue } = await make();
      const key = { mode: 'dedupe', value: 'k', windowMs: 0 } as const;
      await driver.add(queue, [job('a', { key }), job('b'), job('c')]);
      const claimed = await driver.claim(queue, { limit: 3, leaseMs: 1000 });
      const tokenOf = (id: string) => claimed.find((each) => each.id === id)!.token;
      expect(await driver.complete(queue, 'a', tokenOf('a'), { big: 'result' }, { remove: true })).toBe(true);
      expect(await driver.complete(queue, 'a', tokenOf('a'), null, { remove: true })).toBe(false);
      expect(await driver.get(queue, 'a')).toBeUndefined();
      expect(await driver.complete(queue, 'b', tokenOf('b'), { kept: 1 })).toBe(true);
      expect((await driver.get(queue, 'b'))?.result).toEqual({ kept: 1 });
      if (driver.completeAndClaim) {
        const outcome = await driver.completeAndClaim(
          queue,
          [{ id: 'c', token: tokenOf('c'), result: 'x', remove: true }],
          { limit: 0, leaseMs: 1000 },
        );
        expect(outcome.completed).toEqual([true]);
      } else await driver.complete(queue, 'c', tokenOf('c'), 'x', { remove: true });
      expect(await driver.get(queue, 'c')).toBeUndefined();
      expect(await driver.counts(queue)).toMatchObject({ active: 0, completed: 1 });
      expect((await driver.list(queue, 'completed')).map((each) => each.id)).toEqual(['b']);
      expect(await driver.add(queue, [job('d', { key })])).toEqual([{ id: 'd', added: true }]);
      expect(await driver.add(queue, [job('a')])).toEqual([{ id: 'a', added: true }]);
    });

    test('completeAndClaim removes some completions and keeps others in one call', async () => {
      const { driver, queue } = await make();
      if (!driver.completeAndClaim) return;
      await driver.add(queue, [job('a'), job('b'), job('c')]);
      const claimed = await driver.claim(queue, { limit: 2, leaseMs: 1000 });
      const outcome = await driver.completeAndClaim(
        queue,
        [
          { id: claimed[0]!.id, token: claimed[0]!.token, result: 1, remove: true },
          { id: claimed[1]!.id, token: claimed[1]!.token, result: 2 },
          { id: 'missing', token: 'stale', result: 3, remove: true },
        ],
        { limit: 1, leaseMs: 1000 },
      );
      expect(outcome.completed).toEqual([true, true, false]);
      expect(outcome.jobs.map((each) => each.id)).toEqual(['c']);
      expect(await driver.get(queue, 'a')).toBeUndefined();
      expect(await driver.get(queue, 'b')).toMatchObject({ state: 'completed', result: 2 });
    });

    test('completeAndClaim with remove frees a group slot too (the group-limited claim path)', async () => {
      const { driver, queue } = await make();
      if (!driver.completeAndClaim) return;
      await driver.add(queue, [job('a1', { group: 'a' }), job('a2', { group: 'a' })]);
      const fair = { limit: 10, leaseMs: 1000, groupConcurrency: 1 };
      const [a1] = await driver.claim(queue, fair);
      const next = await driver.completeAndClaim(
        queue,
        [{ id: 'a1', token: a1!.token, result: null, remove: true }],
        fair,
      );
      expect(next.completed).toEqual([true]);
      expect(next.jobs.map((entry) => entry.id)).toEqual(['a2']);
      expect(await driver.get(queue, 'a1')).toBeUndefined();
      expect(await driver.counts(queue)).toMatchObject({ active: 1, completed: 0 });
    });

    test('prune keeps the newest count and those younger than age, of one state only', async () => {
      const { driver, queue } = await make();
      if (!driver.prune) return;
      const ids = ['j0', 'j1', 'j2', 'j3', 'j4'];
      await driver.add(queue, [...ids.map((id) => job(id)), job('dead', { maxAttempts: 1 })]);
      for (const id of ids) {
        const [claimed] = await driver.claim(queue, { limit: 1, leaseMs: 60_000 });
        expect(claimed!.id).toBe(id);
        await driver.complete(queue, id, claimed!.token, id);
        time += 1000;
      }
      const [last] = await driver.claim(queue, { limit: 1, leaseMs: 60_000 });
      await driver.fail(queue, last!.id, last!.token, { error: 'no' });
      // Finished at start + 0, 1000, 2000, 3000, 4000; now is start + 5000.
      expect(await driver.prune(queue, 'completed', {})).toBe(0);
      expect(await driver.prune(queue, 'completed', { count: 4 })).toBe(1);
      expect(await driver.get(queue, 'j0')).toBeUndefined();
      expect(await driver.prune(queue, 'completed', { age: 2500 })).toBe(2);
      expect((await driver.list(queue, 'completed')).map((each) => each.id)).toEqual(['j3', 'j4']);
      expect(await driver.prune(queue, 'completed', { age: 60_000, count: 1 })).toBe(1);
      expect((await driver.list(queue, 'completed')).map((each) => [each.id, each.result])).toEqual([
        ['j4', 'j4'],
      ]);
      expect(await driver.counts(queue)).toMatchObject({ completed: 1, dead: 1 });
      expect(await driver.prune(queue, 'completed', { count: 0 })).toBe(1);
      expect(await driver.counts(queue)).toMatchObject({ completed: 0, dead: 1 });
      expect(await driver.add(queue, [job('j0')])).toEqual([{ id: 'j0', added: true }]);
    });

    test('dedupe: one waiting or active job per key, a new one once it finished', async () => {
      const { driver, queue } = await make();
      const key = { mode: 'dedupe', value: 'user-1', windowMs: 0 } as const;
      expect(await driver.add(queue, [job('a', { key }), job('b', { key })])).toEqual([
        { id: 'a', added: true },
        { id: 'a', added: false },
      ]);
      const [claimed] = await driver.claim(queue, { limit: 1, leaseMs: 1000 });
      expect(await driver.add(queue, [job('c', { key })])).toEqual([{ id: 'a', added: false }]);
      await driver.complete(queue, 'a', claimed!.token, null);
      expect(await driver.add(queue, [job('d', { key })])).toEqual([{ id: 'd', added: true }]);
      expect(await driver.add(queue, [job('e', { key: { ...key, value: 'user-2' } })])).toEqual([
        { id: 'e', added: true },
      ]);
    });

    test('debounce: the waiting job takes the last payload and runs windowMs after the last add', async () => {
      const { driver, queue } = await make();
      const key = { mode: 'debounce', value: 'doc-1', windowMs: 1000 } as const;
      expect(await driver.add(queue, [job('a', { key, payload: { v: 1 } })])).toEqual([
        { id: 'a', added: true },
      ]);
      time = start + 600;
      expect(await driver.add(queue, [job('b', { key, payload: { v: 2 } })])).toEqual([
        { id: 'a', added: false },
      ]);
      time = start + 1599;
      expect(await driver.claim(queue, { limit: 5, leaseMs: 5000 })).toEqual([]);
      time = start + 1600;
      const claimed = await driver.claim(queue, { limit: 5, leaseMs: 5000 });
      expect(claimed).toMatchObject([{ id: 'a', payload: { v: 2 } }]);
      // Running: the next add starts a new waiting job.
      expect(await driver.add(queue, [job('c', { key, payload: { v: 3 } })])).toEqual([
        { id: 'c', added: true },
      ]);
      expect(await driver.get(queue, 'c')).toMatchObject({ runAt: start + 2600 });
    });

    test('throttle: one job per window, the rest dropped', async () => {
      const { driver, queue } = await make();
      const key = { mode: 'throttle', value: 'report', windowMs: 1000 } as const;
      expect(await driver.add(queue, [job('a', { key }), job('b', { key })])).toEqual([
        { id: 'a', added: true },
        { id: 'a', added: false },
      ]);
      time = start + 999;
      expect(await driver.add(queue, [job('c', { key })])).toEqual([{ id: 'a', added: false }]);
      time = start + 1000;
      expect(await driver.add(queue, [job('d', { key })])).toEqual([{ id: 'd', added: true }]);
      expect((await driver.counts(queue)).waiting).toBe(2);
    });

    test('wakes a subscriber when a job is added', async () => {
      const { driver, queue } = await make();
      if (!driver.subscribe) return;
      let resolve!: () => void;
      const woken = new Promise<void>((done) => (resolve = done));
      const unsubscribe = await driver.subscribe(queue, () => resolve());
      await driver.add(queue, [job('a')]);
      await woken;
      await unsubscribe();
    });
  });
}
