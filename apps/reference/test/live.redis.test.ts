// Two live instances on one Redis (pub/sub for events, Streams for resume, the job queue), each on
// its own server: what one publishes reaches the other's clients, and the worker process runs the jobs.
import { afterAll, describe, expect, it } from 'vitest';
import { createQueue } from '../src/jobs.js';
import { createLiveDrivers } from '../src/live/index.js';
import { startWorker } from './e2e/support/app-process.js';
import { openLiveSocket, openSse } from './e2e/support/live-clients.js';
import {
  type LiveServer,
  memoryLogger,
  outboxMessage,
  startLiveServer,
  taskPayload,
} from './e2e/support/live-server.js';
import { redisPrefix, redisUrl, requireRedis } from './e2e/support/redis.js';

const available = await requireRedis('live.redis.test.ts');
const keys = redisPrefix('live');
const closers: Array<() => Promise<void>> = [];

afterAll(async () => {
  for (const close of closers.splice(0).reverse()) await close();
  if (available) await keys.drop();
});

/** One instance: its own Redis connections (as another process would have), the shared prefix. */
async function instance(): Promise<{ server: LiveServer; jobs: ReturnType<typeof createQueue> }> {
  const logger = memoryLogger();
  const drivers = createLiveDrivers({ redisUrl, prefix: `${keys.prefix}live:` });
  const jobs = createQueue({ redisUrl, prefix: `${keys.prefix}jobs:`, logger });
  const server = await startLiveServer({
    broker: drivers.broker,
    replay: drivers.replay,
    queue: jobs.queue,
    logger,
  });
  closers.push(async () => {
    await server.close();
    await drivers.close();
    await jobs.close();
  });
  return { server, jobs };
}

const never = new AbortController().signal;

describe.skipIf(!available)('two instances on one Redis', async () => {
  const a = available ? await instance() : undefined;
  const b = available ? await instance() : undefined;

  it("an event sent through A's sink reaches a WebSocket client of B", async () => {
    const client = await openLiveSocket(`${b?.server.wsUrl}/live?team=team-a&token=token-ada`);
    closers.push(() => client.close());
    await client.inbox.next('ready');
    await a?.server.live.sink.send(
      outboxMessage('cross-1', 'task.updated', taskPayload('team-a', 't1')),
      never,
    );
    expect(
      await client.inbox.next('the event from A', (message) => message.type === 'task.updated'),
    ).toMatchObject({
      id: 'cross-1',
      payload: { taskId: 't1' },
    });
  });

  it('an SSE client resumes on B with exactly the events A published while it was away', async () => {
    const first = await openSse(`${a?.server.url}/teams/team-a/events?token=token-ada`);
    await a?.server.live.sink.send(outboxMessage('r1', 'task.created', taskPayload('team-a', 't2')), never);
    const seen = await first.inbox.next('r1 on A', (event) => JSON.parse(event.data).id === 'r1');
    first.close();
    for (const id of ['r2', 'r3']) {
      await a?.server.live.sink.send(outboxMessage(id, 'task.updated', taskPayload('team-a', 't2')), never);
    }
    const resumed = await openSse(`${b?.server.url}/teams/team-a/events?token=token-ada`, {
      'last-event-id': String(seen.id),
    });
    closers.push(async () => resumed.close());
    expect(String(seen.id)).toMatch(/^\d+-\d+$/);
    const missed = [await resumed.inbox.next('r2'), await resumed.inbox.next('r3')];
    expect(missed.map((event) => JSON.parse(event.data).id)).toEqual(['r2', 'r3']);
    expect(resumed.inbox.items).toEqual([]);
  });

  it('a notification enqueued by A runs in the worker process, which exits 0 on SIGTERM', async () => {
    const payload = taskPayload('team-a', 't3', { assigneeId: 'bob', title: 'Ship it' });
    await a?.server.live.sink.send(outboxMessage('assign-r1', 'task.assigned', payload), never);
    const worker = await startWorker({ REDIS_URL: redisUrl, REDIS_PREFIX: keys.prefix });
    try {
      const line = await worker.lines.next(
        'the notification log line',
        (entry) => entry.msg === 'notification: task assigned',
        60_000,
      );
      expect(line.notification).toMatchObject({ eventId: 'assign-r1', assigneeId: 'bob', title: 'Ship it' });
      expect(await worker.stop(), worker.output()).toBe(0);
      expect(worker.lines.items.some((entry) => entry.msg === 'shutdown: complete')).toBe(true);
      expect((await a?.jobs.queue.get('notify-assignee:assign-r1'))?.state).toBe('completed');
    } finally {
      await worker.stop();
    }
  });

  it('a worker sent SIGTERM as soon as it runs (its scheduler still on its first Redis call) exits 0 at once', async () => {
    const worker = await startWorker({ REDIS_URL: redisUrl, REDIS_PREFIX: `${keys.prefix}early:` });
    const started = performance.now();
    // Before @plinth/jobs' fix the scheduler then slept up to a minute: exit 1 at the 15 s deadline.
    expect(await worker.stop(), worker.output()).toBe(0);
    expect(performance.now() - started).toBeLessThan(10_000);
  });
});
