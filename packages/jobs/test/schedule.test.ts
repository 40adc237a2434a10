// Cron schedules across several schedulers sharing one Redis: each tick becomes exactly one job.
import type { Redis } from 'ioredis';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { createQueue, createScheduler, createWorker, defineJob, memoryDriver } from '../src/index.js';
import { redisDriver } from '../src/redis.js';
import { dropPrefix, redisClient, redisUp, testPrefix } from './support/servers.js';

describe.skipIf(!redisUp)('createScheduler on Redis', () => {
  const client = redisUp ? redisClient() : (undefined as unknown as Redis);
  const prefix = testPrefix('schedule');
  afterAll(async () => {
    await dropPrefix(client, prefix);
    await client?.quit();
  });

  it('fires each tick exactly once while three schedulers run the same schedule', async () => {
    const runs = new Map<string, number>();
    const tick = defineJob({
      name: 'tick',
      handler: (_payload: null, context) => void runs.set(context.id, (runs.get(context.id) ?? 0) + 1),
    });
    const queues = Array.from({ length: 3 }, () =>
      createQueue({ driver: redisDriver({ client, prefix }), jobs: [tick] }),
    );
    const schedule = { name: 'every-second', cron: '* * * * * *', job: tick, payload: null };
    const schedulers = queues.map((queue) => createScheduler(queue, [schedule]));
    const workers = queues.map((queue) => createWorker(queue, { pollMs: 20 }));
    try {
      await expect.poll(() => runs.size, { timeout: 10_000, interval: 100 }).toBeGreaterThanOrEqual(3);
    } finally {
      await Promise.all(schedulers.map((scheduler) => scheduler.close()));
      await Promise.all(workers.map((worker) => worker.close()));
    }
    expect([...runs.values()].every((count) => count === 1)).toBe(true);
    const ticks = [...runs.keys()].map((id) => Number(id.split(':')[2])).sort((a, b) => a - b);
    for (let index = 1; index < ticks.length; index++) expect(ticks[index]! - ticks[index - 1]!).toBe(1000);
    for (const time of ticks) expect(time % 1000).toBe(0);
  });

  it('refuses a schedule for a job the queue does not define, or a bad expression', () => {
    const queue = createQueue({ driver: redisDriver({ client, prefix }), jobs: [] });
    expect(() =>
      createScheduler(queue, [{ name: 'x', cron: '* * * * *', job: 'nope', payload: null }]),
    ).toThrow(/does not define/);
    const known = createQueue({
      driver: redisDriver({ client, prefix }),
      jobs: [defineJob({ name: 'a', handler: () => 1 })],
    });
    expect(() =>
      createScheduler(known, [{ name: 'x', cron: '61 * * * *', job: 'a', payload: null }]),
    ).toThrow(expect.objectContaining({ code: 'ERR_JOBS_INVALID_CRON' }));
    expect(() =>
      createScheduler(known, [
        { name: 'x', cron: '* * * * *', timeZone: 'Mars/Olympus', job: 'a', payload: null },
      ]),
    ).toThrow(/time zone/);
  });
});

describe('createScheduler over hours', () => {
  it('leaves no listener behind per sleep: a day of ticks raises no MaxListenersExceededWarning', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on('warning', onWarning);
    const queue = createQueue({
      driver: memoryDriver(),
      jobs: [defineJob({ name: 'nightly', handler: () => undefined })],
    });
    const scheduler = createScheduler(queue, [
      { name: 'nightly', cron: '0 3 * * *', job: 'nightly', payload: null },
    ]);
    try {
      // Each wait is at most a minute: a day is 1,440 of them, every one able to be cut short by close().
      await vi.advanceTimersByTimeAsync(24 * 60 * 60_000);
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings.map((warning) => `${warning.name}: ${warning.message}`)).toEqual([]);
      expect((await queue.counts()).waiting + (await queue.counts()).delayed).toBeGreaterThanOrEqual(1);
    } finally {
      process.off('warning', onWarning);
      const closed = scheduler.close();
      await vi.advanceTimersByTimeAsync(0);
      await closed;
      vi.useRealTimers();
    }
  });
});

describe('createScheduler closing', () => {
  // The driver call that close() interrupts waits until the test lets it go, as a round trip to a
  // loaded Redis would. Before the fix the loop went on and slept on the already-aborted signal, so
  // close() (and a worker's SIGTERM) waited for the timer: up to a minute.
  it.each(['now', 'add'] as const)(
    'closes at once when close() comes during the driver call %s()',
    async (method) => {
      const driver = memoryDriver();
      const real = driver[method].bind(driver) as (...args: unknown[]) => Promise<unknown>;
      let release: (() => void) | undefined;
      (driver as unknown as Record<string, unknown>)[method] = (...args: unknown[]) =>
        new Promise((resolve, reject) => {
          release = () => real(...args).then(resolve, reject);
        });
      const queue = createQueue({ driver, jobs: [defineJob({ name: 'nightly', handler: () => undefined })] });
      const scheduler = createScheduler(queue, [
        { name: 'nightly', cron: '0 3 * * *', job: 'nightly', payload: null },
      ]);
      await vi.waitFor(() => expect(release).toBeTypeOf('function'));
      const closed = scheduler.close();
      release?.();
      const started = performance.now();
      await closed;
      expect(performance.now() - started).toBeLessThan(2000);
    },
  );
});
