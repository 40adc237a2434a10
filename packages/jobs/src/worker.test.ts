import { afterEach, describe, expect, it } from 'vitest';
import type { QueueDriver } from './driver.js';
import { memoryDriver } from './drivers/memory.js';
import type { WorkerEvents } from './events.js';
import { defineJob } from './job.js';
import { createQueue, type Queue } from './queue.js';
import { createWorker, type Worker } from './worker.js';

const workers: Worker[] = [];
afterEach(async () => {
  await Promise.all(workers.splice(0).map((worker) => worker.close({ timeoutMs: 0 })));
});

function start(queue: Queue, options: Parameters<typeof createWorker>[1] = {}) {
  const worker = createWorker(queue, { pollMs: 20, ...options });
  workers.push(worker);
  return worker;
}

function next<E extends keyof WorkerEvents>(worker: Worker, event: E, count = 1): Promise<WorkerEvents[E][]> {
  const seen: WorkerEvents[E][] = [];
  return new Promise((resolve) => {
    const off = worker.on(event, (value) => {
      seen.push(value);
      if (seen.length === count) {
        off();
        resolve(seen);
      }
    });
  });
}

function deferred<T = void>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((done) => (resolve = done));
  return { promise, resolve };
}

describe('createWorker', () => {
  it('runs jobs with their payload and stores the result', async () => {
    const double = defineJob({ name: 'double', handler: (payload: { n: number }) => payload.n * 2 });
    const queue = createQueue({ driver: memoryDriver(), jobs: [double] });
    const { id } = await queue.enqueue(double, { n: 21 });
    const worker = start(queue);
    const [event] = await next(worker, 'completed');
    expect(event!.result).toBe(42);
    expect(await queue.get(id)).toMatchObject({ state: 'completed', result: 42, attempts: 1 });
  });

  it('sends completions with its claims when the driver has completeAndClaim, and with complete() otherwise', async () => {
    const double = defineJob({ name: 'double', handler: (payload: { n: number }) => payload.n * 2 });
    for (const combined of [true, false]) {
      const memory = memoryDriver();
      const calls = { completeAndClaim: 0, complete: 0 };
      const { completeAndClaim, ...rest } = memory;
      const driver: QueueDriver = {
        ...rest,
        complete: (...args) => {
          calls.complete++;
          return memory.complete(...args);
        },
        ...(combined
          ? {
              completeAndClaim: (...args: Parameters<NonNullable<QueueDriver['completeAndClaim']>>) => {
                calls.completeAndClaim++;
                return completeAndClaim!(...args);
              },
            }
          : {}),
      };
      const queue = createQueue({ driver, jobs: [double] });
      await queue.enqueueMany(Array.from({ length: 20 }, (_, n) => ({ job: double, payload: { n } })));
      const worker = start(queue, { concurrency: 4 });
      const completed = await next(worker, 'completed', 20);
      expect(completed.map((event) => event.result).sort((a, b) => Number(a) - Number(b))).toEqual(
        Array.from({ length: 20 }, (_, n) => n * 2),
      );
      expect((await queue.counts()).completed).toBe(20);
      if (combined) {
        expect(calls.complete).toBe(0);
        expect(calls.completeAndClaim).toBeGreaterThan(0);
      } else expect(calls.complete).toBe(20);
    }
  });

  it('removeOnComplete: true deletes each job as it completes, with and without completeAndClaim', async () => {
    const double = defineJob({ name: 'double', handler: (payload: { n: number }) => payload.n * 2 });
    for (const combined of [true, false]) {
      const memory = memoryDriver();
      const { completeAndClaim, ...rest } = memory;
      const driver: QueueDriver = combined ? memory : rest;
      const queue = createQueue({ driver, jobs: [double], removeOnComplete: true });
      const added = await queue.enqueueMany(
        Array.from({ length: 10 }, (_, n) => ({ job: double, payload: { n } })),
      );
      const worker = start(queue, { concurrency: 3 });
      const completed = await next(worker, 'completed', 10);
      expect(completed.map((event) => event.result).sort((a, b) => Number(a) - Number(b))).toEqual(
        Array.from({ length: 10 }, (_, n) => n * 2),
      );
      expect(await queue.counts()).toMatchObject({ waiting: 0, active: 0, completed: 0 });
      expect(await queue.get(added[0]!.id)).toBeUndefined();
      expect(completeAndClaim).toBeTypeOf('function');
    }
  });

  it('removeOnComplete: { count } keeps the newest completed jobs, pruned by the worker (at the latest on close)', async () => {
    let time = 1_000;
    const echo = defineJob({ name: 'echo', handler: (payload: { n: number }) => payload.n });
    const queue = createQueue({
      driver: memoryDriver({ now: () => time++ }),
      jobs: [echo],
      removeOnComplete: 3,
    });
    await queue.enqueueMany(Array.from({ length: 8 }, (_, n) => ({ job: echo, payload: { n } })));
    const worker = start(queue, { concurrency: 1 });
    await next(worker, 'completed', 8);
    await worker.close();
    expect((await queue.list('completed')).map((job) => job.result)).toEqual([5, 6, 7]);
  });

  it('refuses a removeOnComplete that keeps nothing meaningful', () => {
    const echo = defineJob({ name: 'echo', handler: () => null });
    for (const removeOnComplete of [{}, -1, 1.5, { age: -5 }] as const)
      expect(() => createQueue({ driver: memoryDriver(), jobs: [echo], removeOnComplete })).toThrow(
        /removeOnComplete/,
      );
  });

  it('never runs more than `concurrency` jobs at once', async () => {
    let running = 0;
    let peak = 0;
    const gate = deferred();
    const slow = defineJob({
      name: 'slow',
      handler: async () => {
        running++;
        peak = Math.max(peak, running);
        await gate.promise;
        running--;
      },
    });
    const queue = createQueue({ driver: memoryDriver(), jobs: [slow] });
    await queue.enqueueMany(Array.from({ length: 10 }, () => ({ job: slow, payload: null })));
    const worker = start(queue, { concurrency: 3 });
    await next(worker, 'active', 3);
    expect((await queue.counts()).active).toBe(3);
    const done = next(worker, 'completed', 10);
    gate.resolve();
    await done;
    expect(peak).toBe(3);
  });

  it('retries with the backoff, then sends the job to the dead letters, where redrive runs it again', async () => {
    let calls = 0;
    let healed = false;
    const flaky = defineJob({
      name: 'flaky',
      attempts: 3,
      backoff: { type: 'fixed', delayMs: 1 },
      handler: () => {
        calls++;
        if (!healed) throw new Error(`boom ${calls}`);
        return 'ok';
      },
    });
    const queue = createQueue({ driver: memoryDriver(), jobs: [flaky] });
    const { id } = await queue.enqueue(flaky, null);
    const worker = start(queue);
    const retried = next(worker, 'retried', 2);
    const [failed] = await next(worker, 'failed');
    expect((await retried).map((event) => (event.error as Error).message)).toEqual(['boom 1', 'boom 2']);
    expect((failed!.error as Error).message).toBe('boom 3');
    expect(await queue.list('dead')).toMatchObject([{ id, attempts: 3, error: 'boom 3' }]);
    healed = true;
    const completed = next(worker, 'completed');
    await queue.redrive(id);
    await completed;
    expect(await queue.get(id)).toMatchObject({ state: 'completed', attempts: 1, result: 'ok' });
  });

  it('aborts the signal at the timeout and fails the job even when the handler ignores the abort', async () => {
    const never = deferred();
    let signal: AbortSignal | undefined;
    const stuck = defineJob({
      name: 'stuck',
      attempts: 1,
      timeoutMs: 30,
      handler: async (_payload: null, context) => {
        signal = context.signal;
        await never.promise; // ignores its signal
      },
    });
    const quick = defineJob({ name: 'quick', handler: () => 'done' });
    const queue = createQueue({ driver: memoryDriver(), jobs: [stuck, quick] });
    const { id } = await queue.enqueue(stuck, null);
    const worker = start(queue, { concurrency: 1 });
    const [failed] = await next(worker, 'failed');
    expect(failed!.error).toMatchObject({ code: 'ERR_JOBS_TIMEOUT' });
    expect(signal?.aborted).toBe(true);
    expect(await queue.get(id)).toMatchObject({
      state: 'dead',
      error: expect.stringContaining('timeout of 30 ms'),
    });
    // The one slot is free again although the stuck handler never returned.
    await expect.poll(() => worker.running).toBe(0);
    const completed = next(worker, 'completed');
    await queue.enqueue(quick, null);
    expect((await completed)[0]!.result).toBe('done');
  });

  it('stores progress reports', async () => {
    const gate = deferred();
    const reporting = defineJob({
      name: 'reporting',
      handler: async (_payload: null, context) => {
        await context.progress({ percent: 50 });
        await gate.promise;
      },
    });
    const queue = createQueue({ driver: memoryDriver(), jobs: [reporting] });
    const { id } = await queue.enqueue(reporting, null);
    const worker = start(queue);
    await next(worker, 'active');
    await expect.poll(async () => (await queue.get(id))?.progress).toEqual({ percent: 50 });
    gate.resolve();
  });

  it('hands a context whose progress and signal work destructured, and a sync throw fails the job', async () => {
    const seen: Array<{ id: string; attempt: number; aborted: boolean }> = [];
    const destructuring = defineJob({
      name: 'destructuring',
      attempts: 1,
      handler: async (_payload: null, { id, attempt, progress, signal }) => {
        await progress({ step: 'half' });
        seen.push({ id, attempt, aborted: signal.aborted });
        return 'ok';
      },
    });
    const throwing = defineJob({
      name: 'throwing',
      attempts: 1,
      handler: (_payload: null): string => {
        throw new Error('sync boom');
      },
    });
    const queue = createQueue({ driver: memoryDriver(), jobs: [destructuring, throwing] });
    const { id } = await queue.enqueue(destructuring, null);
    const worker = start(queue);
    const failed = next(worker, 'failed');
    expect((await next(worker, 'completed'))[0]!.result).toBe('ok');
    expect(seen).toEqual([{ id, attempt: 1, aborted: false }]);
    expect((await queue.get(id))?.progress).toEqual({ step: 'half' });
    const thrown = await queue.enqueue(throwing, null);
    const [failure] = await failed;
    expect(failure!.job.id).toBe(thrown.id);
    expect((failure!.error as Error).message).toBe('sync boom');
  });

  it('on close, finishes in-flight jobs within the timeout and hands the rest back', async () => {
    const quickGate = deferred();
    const stuckGate = deferred();
    let stuckSignal: AbortSignal | undefined;
    const job = defineJob({
      name: 'job',
      handler: async (payload: { stuck: boolean }, context) => {
        if (payload.stuck) {
          stuckSignal = context.signal;
          await stuckGate.promise;
        } else await quickGate.promise;
        return 'finished';
      },
    });
    const queue = createQueue({ driver: memoryDriver(), jobs: [job] });
    const quick = await queue.enqueue(job, { stuck: false });
    const stuck = await queue.enqueue(job, { stuck: true });
    const waiting = await queue.enqueue(job, { stuck: false }, { delayMs: 60_000 });
    const worker = createWorker(queue, { concurrency: 2, pollMs: 20 });
    await next(worker, 'active', 2);
    const closing = worker.close({ timeoutMs: 100 });
    quickGate.resolve();
    await closing;
    expect(await queue.get(quick.id)).toMatchObject({ state: 'completed', result: 'finished' });
    expect(await queue.get(stuck.id)).toMatchObject({ state: 'waiting', attempts: 0 });
    expect(stuckSignal?.reason).toMatchObject({ code: 'ERR_JOBS_CLOSED' });
    expect(await queue.get(waiting.id)).toMatchObject({ state: 'waiting', attempts: 0 });
    stuckGate.resolve();
  });

  it('holds prefetched jobs leased but unstarted, and hands them back on close', async () => {
    const gate = deferred();
    const started: string[] = [];
    const slow = defineJob({
      name: 'slow',
      handler: async (_payload: null, context) => {
        started.push(context.id);
        await gate.promise;
      },
    });
    const queue = createQueue({ driver: memoryDriver(), jobs: [slow] });
    await queue.enqueueMany(
      [1, 2, 3, 4].map((n) => ({ job: slow, payload: null, options: { id: `j${n}` } })),
    );
    const worker = createWorker(queue, { concurrency: 1, prefetch: 2, pollMs: 20 });
    await next(worker, 'active');
    await expect.poll(() => started).toEqual(['j1']);
    // The worker tops its claims up to concurrency + prefetch: the held jobs may come in a second claim.
    await expect.poll(() => queue.counts()).toMatchObject({ active: 3, waiting: 1 });
    const closing = worker.close({ timeoutMs: 50 });
    gate.resolve();
    await closing;
    expect(await queue.get('j1')).toMatchObject({ state: 'completed' });
    const waiting = await queue.list('waiting');
    expect(waiting.map((job) => job.id).sort()).toEqual(['j2', 'j3', 'j4']);
    expect(waiting.every((job) => job.attempts === 0)).toBe(true);
    expect(started).toEqual(['j1']);
  });

  it('fails a job no definition knows (written by another version) without retrying it', async () => {
    const driver = memoryDriver();
    const queue = createQueue({ driver, jobs: [] });
    await driver.add('default', [
      { id: 'x', name: 'from-the-future', payload: null, priority: 0, maxAttempts: 5 },
    ]);
    const worker = start(queue);
    const [failed] = await next(worker, 'failed');
    expect(failed!.error).toMatchObject({ code: 'ERR_JOBS_UNKNOWN_JOB' });
  });

  it('recovers a job whose worker stopped heartbeating and reports it stalled', async () => {
    let time = 0;
    const driver = memoryDriver({ now: () => time });
    const noop = defineJob({ name: 'noop', handler: () => undefined });
    const queue = createQueue({ driver, jobs: [noop] });
    await queue.enqueue(noop, null);
    // A dead worker: it claimed and never came back.
    const [claimed] = await driver.claim('default', { limit: 1, leaseMs: 1000 });
    time = 1000;
    const worker = start(queue, { leaseMs: 100 });
    const [stalled] = await next(worker, 'stalled');
    expect(stalled!.id).toBe(claimed!.id);
    await next(worker, 'completed');
    expect(await queue.get(claimed!.id)).toMatchObject({ state: 'completed', attempts: 2 });
  });

  it('keeps running and reports the error when the driver fails', async () => {
    const base = memoryDriver();
    let broken = true;
    const driver: QueueDriver = {
      ...base,
      claim: (queue, options) =>
        broken ? Promise.reject(new Error('connection lost')) : base.claim(queue, options),
    };
    const noop = defineJob({ name: 'noop', handler: () => 'ok' });
    const queue = createQueue({ driver, jobs: [noop] });
    await queue.enqueue(noop, null);
    const worker = start(queue);
    const [failure] = await next(worker, 'error');
    expect((failure!.error as Error).message).toBe('connection lost');
    broken = false;
    await next(worker, 'completed');
  });

  it('rejects bad options at creation', () => {
    const queue = createQueue({ driver: memoryDriver(), jobs: [] });
    expect(() => createWorker(queue, { concurrency: 0 })).toThrow(/concurrency/);
    expect(() => createWorker(queue, { leaseMs: 1000, heartbeatMs: 1000 })).toThrow(/heartbeatMs/);
  });
});
