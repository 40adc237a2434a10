import { createQueue, createWorker, defineJob, memoryDriver } from '@plinth/jobs';
import { describe, expect, it } from 'vitest';
import { eventually } from './eventually.js';
import { recordingQueueDriver } from './recording-queue-driver.js';

const noop = defineJob({ name: 'noop', handler: () => undefined });

function setup(now = () => 1_800_000_000_000) {
  const driver = recordingQueueDriver(memoryDriver({ now }));
  const queue = createQueue({ driver, jobs: [defineJob({ name: 'email', handler: () => 'sent' }), noop] });
  return { driver, queue };
}

describe('recordingQueueDriver()', () => {
  it('records what a @plinth/jobs queue enqueued, refused duplicates included', async () => {
    const { driver, queue } = setup();
    await queue.enqueue('email', { to: 'ada@example.test' }, { id: 'e1', priority: 5 });
    await queue.enqueue('email', { to: 'ada@example.test' }, { id: 'e1' });
    await queue.enqueue('noop', {});
    expect(driver.enqueued('default', 'email')).toEqual([
      expect.objectContaining({ id: 'e1', name: 'email', payload: { to: 'ada@example.test' }, priority: 5 }),
    ]);
    expect(driver.enqueued()).toHaveLength(2);
    expect(driver.adds.map((entry) => [entry.id, entry.added])).toEqual([
      ['e1', true],
      ['e1', false],
      [expect.any(String), true],
    ]);
    driver.clear();
    expect(driver.adds).toEqual([]);
    expect((await queue.counts()).waiting).toBe(2);
  });

  it('drains due jobs one at a time in claim order, jobs enqueued meanwhile included', async () => {
    const { driver, queue } = setup();
    await queue.enqueue('email', { n: 1 }, { id: 'low' });
    await queue.enqueue('email', { n: 2 }, { id: 'high', priority: 9 });
    const ran = await driver.drain('default', async (job) => {
      if (job.id === 'high') await queue.enqueue('noop', {}, { id: 'follow-up' });
      return `done ${job.id}`;
    });
    expect(ran.map((job) => [job.id, job.outcome, job.result])).toEqual([
      ['high', 'completed', 'done high'],
      ['low', 'completed', 'done low'],
      ['follow-up', 'completed', 'done follow-up'],
    ]);
    expect(await queue.get('low')).toMatchObject({ state: 'completed', result: 'done low' });
  });

  it('retries a failing job while it has attempts, then leaves it dead; retry: false kills it at once', async () => {
    const { driver, queue } = setup();
    await queue.enqueue('email', {}, { id: 'flaky' });
    let calls = 0;
    const ran = await driver.drain('default', () => {
      calls++;
      if (calls < 3) throw new Error(`boom ${calls}`);
    });
    expect(ran.map((job) => [job.attempt, job.outcome])).toEqual([
      [1, 'retried'],
      [2, 'retried'],
      [3, 'completed'],
    ]);
    await queue.enqueue('email', {}, { id: 'broken' });
    const dead = await driver.drain('default', () => Promise.reject(new Error('nope')), { retry: false });
    expect(dead).toMatchObject([{ id: 'broken', outcome: 'dead', error: new Error('nope') }]);
    expect(await queue.get('broken')).toMatchObject({ state: 'dead', error: 'nope' });
  });

  it("leaves delayed jobs to the driver's clock", async () => {
    let time = 1_800_000_000_000;
    const { driver, queue } = setup(() => time);
    await queue.enqueue('email', {}, { id: 'later', delayMs: 60_000 });
    expect(await driver.drain('default', () => undefined)).toEqual([]);
    time += 60_000;
    expect((await driver.drain('default', () => undefined)).map((job) => job.id)).toEqual(['later']);
  });

  it('stops with ERR_TESTING_DRAIN_LIMIT when jobs keep coming, handing the next one back', async () => {
    const { driver, queue } = setup();
    await queue.enqueue('noop', {}, { id: 'j0' });
    let next = 1;
    const forever = driver.drain('default', () => queue.enqueue('noop', {}, { id: `j${next++}` }), {
      maxRuns: 5,
    });
    await expect(forever).rejects.toMatchObject({
      code: 'ERR_TESTING_DRAIN_LIMIT',
      message: expect.stringContaining('noop j5'),
    });
    expect(await queue.get('j5')).toMatchObject({ state: 'waiting', attempts: 0 });
  });

  it('passes every other method through, so a real worker runs on it', async () => {
    const driver = recordingQueueDriver(memoryDriver());
    expect('subscribe' in driver).toBe(true);
    expect(driver.name).toBe('memory');
    const handled: unknown[] = [];
    const queue = createQueue({
      driver,
      jobs: [defineJob({ name: 'email', handler: (payload) => void handled.push(payload) })],
    });
    const worker = createWorker(queue, { concurrency: 1 });
    try {
      await queue.enqueue('email', { to: 'ada@example.test' });
      await eventually(async () => expect((await queue.counts()).completed).toBe(1), { timeout: 5000 });
      expect(handled).toEqual([{ to: 'ada@example.test' }]);
      expect(driver.enqueued('default', 'email')).toHaveLength(1);
    } finally {
      await worker.close();
    }
  });
});
