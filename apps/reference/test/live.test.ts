// The live module on one instance: memory broker and memory queue, a real node:http server, real
// `ws` clients and SSE over fetch.
import { once } from 'node:events';
import { memoryBroker } from '@plinth/realtime';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  type AssignmentNotification,
  createQueue,
  type DailyDigest,
  type Notifier,
  startJobs,
} from '../src/jobs.js';
import { createLiveDrivers, LiveEventError } from '../src/live/index.js';
import { spawnNode } from './e2e/support/app-process.js';
import { openLiveSocket, openSse, refusedUpgrade } from './e2e/support/live-clients.js';
import {
  type LiveServer,
  memoryLogger,
  outboxMessage,
  startLiveServer,
  taskPayload,
} from './e2e/support/live-server.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A notifier that records what it is given. */
function recordingNotifier() {
  const assigned: AssignmentNotification[] = [];
  const digests: DailyDigest[] = [];
  const notifier: Notifier = {
    async assigned(notification) {
      assigned.push(notification);
    },
    async digest(digest) {
      digests.push(digest);
    },
  };
  return { notifier, assigned, digests };
}

async function start(notifier = recordingNotifier().notifier) {
  const logger = memoryLogger();
  const jobs = createQueue({ logger, notifier });
  const broker = memoryBroker();
  const server = await startLiveServer({ broker, queue: jobs.queue, logger });
  cleanups.push(async () => {
    await server.close();
    await broker.close();
    await jobs.close();
  });
  return { server, jobs, logger };
}

const live = (server: LiveServer, query: string) => `${server.wsUrl}/live?${query}`;

describe('the /live upgrade', () => {
  it('is refused 401 with problem+json when no token is sent', async () => {
    const { server } = await start();
    const refusal = await refusedUpgrade(live(server, 'team=team-a'));
    expect(refusal.status).toBe(401);
    expect(refusal.contentType).toBe('application/problem+json');
    expect(refusal.body).toMatchObject({ status: 401, code: 'LIVE_TOKEN_MISSING' });
    expect(String(refusal.body.detail)).toContain('token=');
  });

  it('is refused 401 when the token does not authenticate', async () => {
    const { server } = await start();
    const refusal = await refusedUpgrade(live(server, 'team=team-a&token=forged'));
    expect(refusal).toMatchObject({ status: 401, body: { code: 'LIVE_TOKEN_INVALID' } });
  });

  it('is refused 403 for a team the user does not belong to, before the socket opens', async () => {
    const { server } = await start();
    const refusal = await refusedUpgrade(live(server, 'team=team-b&token=token-ada'));
    expect(refusal).toMatchObject({ status: 403, body: { code: 'LIVE_TEAM_FORBIDDEN' } });
  });

  it('is refused 400 when no team is named', async () => {
    const { server } = await start();
    const refusal = await refusedUpgrade(live(server, 'token=token-ada'));
    expect(refusal).toMatchObject({ status: 400, body: { code: 'LIVE_TEAM_INVALID' } });
  });

  it('takes the token from the Sec-WebSocket-Protocol pair a browser can send', async () => {
    const { server } = await start();
    const client = await openLiveSocket(live(server, 'team=team-a'), ['bearer', 'token-ada']);
    cleanups.push(() => client.close());
    expect(client.socket.protocol).toBe('bearer');
    expect(await client.inbox.next('ready')).toEqual({ type: 'ready', teamId: 'team-a' });
  });
});

describe('events through the sink', () => {
  it("reach a member's socket and an SSE reader of the team, and not another team's socket", async () => {
    const { server } = await start();
    const ada = await openLiveSocket(live(server, 'team=team-a&token=token-ada'));
    const bob = await openLiveSocket(live(server, 'team=team-b&token=token-bob'));
    cleanups.push(
      () => ada.close(),
      () => bob.close(),
    );
    await ada.inbox.next('ada ready', (message) => message.type === 'ready');
    await bob.inbox.next('bob ready', (message) => message.type === 'ready');
    const stream = await openSse(`${server.url}/teams/team-a/events`, { authorization: 'Bearer token-ada' });
    cleanups.push(async () => stream.close());
    expect(stream.response.status).toBe(200);
    expect(stream.response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(stream.response.headers.get('x-accel-buffering')).toBe('no');

    const payload = taskPayload('team-a', 'task-1', { status: 'in_progress' });
    await server.live.sink.send(
      outboxMessage('event-1', 'task.updated', payload),
      new AbortController().signal,
    );
    // Then one for team-b: bob's first event must be his own team's, so team-a's never reached him.
    await server.live.sink.send(
      outboxMessage('event-2', 'task.created', taskPayload('team-b', 'task-2')),
      new AbortController().signal,
    );

    const message = await ada.inbox.next(
      'task.updated on the socket',
      (item) => item.type === 'task.updated',
    );
    expect(message).toMatchObject({
      id: 'event-1',
      type: 'task.updated',
      payload: { task: { status: 'in_progress' } },
    });
    expect(typeof message.streamId).toBe('string');
    const sse = await stream.inbox.next('task.updated on the stream');
    expect(sse.event).toBe('task.updated');
    expect(sse.id).toBe(message.streamId);
    expect(JSON.parse(sse.data)).toMatchObject({ id: 'event-1', payload: { taskId: 'task-1' } });
    expect(await bob.inbox.next("bob's event", (item) => item.type !== 'ready')).toMatchObject({
      id: 'event-2',
    });
    expect(ada.inbox.items).toEqual([]);
  });

  it('resumes an SSE stream from Last-Event-ID with exactly the events it missed', async () => {
    const { server } = await start();
    const first = await openSse(`${server.url}/teams/team-a/events?token=token-ada`);
    const signal = new AbortController().signal;
    await server.live.sink.send(outboxMessage('e1', 'task.created', taskPayload('team-a', 't1')), signal);
    const seen = await first.inbox.next('e1');
    first.close();
    for (const id of ['e2', 'e3']) {
      await server.live.sink.send(outboxMessage(id, 'task.updated', taskPayload('team-a', 't1')), signal);
    }
    const resumed = await openSse(`${server.url}/teams/team-a/events?token=token-ada`, {
      'last-event-id': String(seen.id),
    });
    cleanups.push(async () => resumed.close());
    const missed = [await resumed.inbox.next('e2'), await resumed.inbox.next('e3')];
    expect(missed.map((event) => JSON.parse(event.data).id)).toEqual(['e2', 'e3']);
    expect(resumed.inbox.items).toEqual([]);
  });

  it('answers a malformed Last-Event-ID with 400 problem+json saying what to send', async () => {
    const { server } = await start();
    const response = await fetch(`${server.url}/teams/team-a/events?token=token-ada`, {
      headers: { 'last-event-id': 'not-an-id' },
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    const problem = (await response.json()) as Record<string, unknown>;
    expect(problem).toMatchObject({
      status: 400,
      code: 'INVALID_LAST_EVENT_ID',
      errors: [{ pointer: '/headers/last-event-id', code: 'INVALID_LAST_EVENT_ID' }],
    });
    expect(String(problem.detail)).toContain('reconnect without the header');
  });

  it('rejects an event without a team, naming the field, so the relay retries and then marks it dead', async () => {
    const { server } = await start();
    const send = server.live.sink.send(
      outboxMessage('bad-1', 'task.updated', { taskId: 'x' }),
      new AbortController().signal,
    );
    await expect(send).rejects.toBeInstanceOf(LiveEventError);
    await expect(send).rejects.toThrow(/teamId/);
  });

  it('closes sockets with 1001 and ends streams on close()', async () => {
    const { server } = await start();
    const ada = await openLiveSocket(live(server, 'team=team-a&token=token-ada'));
    const stream = await openSse(`${server.url}/teams/team-a/events?token=token-ada`);
    await ada.inbox.next('ready');
    await server.live.close();
    expect(await ada.closed).toBe(1001);
    await expect(stream.inbox.next('nothing: the stream ends')).rejects.toThrow(/ended/);
  });
});

describe('bad input and failures', () => {
  it('closes a socket that sends a 10 MB frame with 1009 and keeps serving others', async () => {
    const { server } = await start();
    const big = await openLiveSocket(live(server, 'team=team-a&token=token-ada'));
    await big.inbox.next('ready');
    big.socket.send('x'.repeat(10 * 1024 * 1024));
    expect(await big.closed).toBe(1009);
    const next = await openLiveSocket(live(server, 'team=team-a&token=token-ada'));
    cleanups.push(() => next.close());
    expect(await next.inbox.next('ready after the big frame')).toMatchObject({ type: 'ready' });
  });

  it('rejects an event while Redis does not answer, so the relay keeps it and retries', async () => {
    const drivers = createLiveDrivers({
      redisUrl: 'redis://127.0.0.1:1',
      prefix: 'test:reference:down:',
      logger: memoryLogger(),
    });
    const jobs = createQueue({ logger: memoryLogger() });
    const server = await startLiveServer({
      broker: drivers.broker,
      replay: drivers.replay,
      queue: jobs.queue,
    });
    cleanups.push(async () => {
      await server.close();
      await drivers.close();
      await jobs.close();
    });
    const send = server.live.sink.send(
      outboxMessage('lost-1', 'task.updated', taskPayload('team-a', 't1')),
      new AbortController().signal,
    );
    await expect(send).rejects.toMatchObject({ code: 'LIVE_PUBLISH_FAILED' });
    await expect(send).rejects.toThrow(/lost-1.*Check that Redis answers/);
  });
});

describe('notifications', () => {
  it('task.assigned enqueues notify-assignee once per event, and the worker runs it', async () => {
    const recorded = recordingNotifier();
    const { server, jobs, logger } = await start(recorded.notifier);
    const payload = taskPayload('team-a', 'task-9', { assigneeId: 'bob', title: 'Write the launch post' });
    const message = outboxMessage('assign-1', 'task.assigned', payload);
    await server.live.sink.send(message, new AbortController().signal);
    // The relay delivers at least once: the same event again adds no second job.
    await server.live.sink.send({ ...message, attempt: 2 }, new AbortController().signal);
    expect((await jobs.queue.list('waiting')).map((job) => job.id)).toEqual(['notify-assignee:assign-1']);

    const runner = startJobs(jobs.queue, { logger });
    cleanups.push(() => runner.close());
    await waitUntil(
      'the job completed',
      async () => (await jobs.queue.get('notify-assignee:assign-1'))?.state === 'completed',
    );
    expect(recorded.assigned).toEqual([
      {
        eventId: 'assign-1',
        teamId: 'team-a',
        taskId: 'task-9',
        title: 'Write the launch post',
        assigneeId: 'bob',
        actorId: 'ada',
      },
    ]);
  });

  it('an unassignment (assigneeId null) enqueues nothing', async () => {
    const { server, jobs } = await start();
    await server.live.sink.send(
      outboxMessage('unassign-1', 'task.assigned', taskPayload('team-a', 't', { assigneeId: null })),
      new AbortController().signal,
    );
    expect(await jobs.queue.counts()).toMatchObject({ waiting: 0, delayed: 0 });
  });

  it('a bad notify-assignee payload is refused at enqueue', async () => {
    const { jobs } = await start();
    await expect(jobs.queue.enqueue('notify-assignee', { taskId: 't' })).rejects.toMatchObject({
      code: 'ERR_JOBS_INVALID_PAYLOAD',
    });
  });

  it('the worker lets a job in flight finish on close()', async () => {
    let release: () => void = () => undefined;
    let finished = false;
    const notifier: Notifier = {
      assigned: () =>
        new Promise<void>((resolve) => {
          release = () => {
            finished = true;
            resolve();
          };
        }),
      digest: async () => undefined,
    };
    const { jobs, logger } = await start(notifier);
    const runner = startJobs(jobs.queue, { logger });
    await jobs.queue.enqueue('notify-assignee', {
      eventId: 'slow',
      teamId: 'team-a',
      taskId: 't',
      title: 'Slow',
      assigneeId: 'bob',
      actorId: null,
    });
    await waitUntil('the job started', async () => runner.worker.running === 1);
    const closing = runner.close();
    release();
    await closing;
    expect(finished).toBe(true);
    expect((await jobs.queue.list('completed')).map((job) => job.id)).toHaveLength(1);
  });

  it('schedules daily-digest for the next 08:00 UTC', async () => {
    const { jobs, logger } = await start();
    const runner = startJobs(jobs.queue, { logger });
    cleanups.push(() => runner.close());
    const now = new Date();
    let tick = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), 8);
    if (tick <= now.getTime()) tick += 24 * 60 * 60 * 1000;
    await waitUntil('the scheduled digest', async () =>
      (await jobs.queue.list('delayed')).some((job) => job.id === `cron:daily-digest:${tick}`),
    );
    const [job] = await jobs.queue.list('delayed');
    expect(job).toMatchObject({ name: 'daily-digest', runAt: tick });
  });

  it('the worker process refuses to start without REDIS_URL, saying why', async () => {
    const { REDIS_URL: _unset, ...environment } = process.env;
    const worker = spawnNode('src/worker.ts', environment);
    const [code] = (await once(worker.child, 'close')) as [number];
    expect(code).toBe(1);
    await expect(worker.lines.next('no log line')).rejects.toThrow(/REDIS_URL: missing[\s\S]*runs the jobs/);
  });

  it('daily-digest groups the assignments notified in the last 24 hours by assignee', async () => {
    const recorded = recordingNotifier();
    const { jobs, logger } = await start(recorded.notifier);
    const runner = startJobs(jobs.queue, { logger });
    cleanups.push(() => runner.close());
    const base = { teamId: 'team-a', actorId: 'ada' };
    await jobs.queue.enqueue('notify-assignee', {
      ...base,
      eventId: '1',
      taskId: 't1',
      title: 'One',
      assigneeId: 'bob',
    });
    await jobs.queue.enqueue('notify-assignee', {
      ...base,
      eventId: '2',
      taskId: 't2',
      title: 'Two',
      assigneeId: 'bob',
    });
    await jobs.queue.enqueue('notify-assignee', {
      ...base,
      eventId: '3',
      taskId: 't3',
      title: 'Three',
      assigneeId: 'cy',
    });
    await waitUntil('three notifications', async () => recorded.assigned.length === 3);
    await waitUntil('completed', async () => (await jobs.queue.counts()).completed === 3);
    await jobs.queue.enqueue('daily-digest', {});
    await waitUntil('the digest', async () => recorded.digests.length === 1);
    const [digest] = recorded.digests;
    expect(digest?.assignees).toEqual(
      expect.arrayContaining([
        {
          assigneeId: 'bob',
          tasks: [
            { taskId: 't1', title: 'One' },
            { taskId: 't2', title: 'Two' },
          ],
        },
        { assigneeId: 'cy', tasks: [{ taskId: 't3', title: 'Three' }] },
      ]),
    );
    expect(digest?.assignees).toHaveLength(2);
  });
});

describe('daily-digest window', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('holds a notification that finished in the same millisecond the digest runs', async () => {
    // Date stands still: the notification finishes, and the digest reads its window end, at one instant.
    vi.useFakeTimers({ toFake: ['Date'], now: Date.UTC(2026, 0, 5, 8) });
    const recorded = recordingNotifier();
    const { jobs, logger } = await start(recorded.notifier);
    const runner = startJobs(jobs.queue, { logger });
    cleanups.push(() => runner.close());
    await jobs.queue.enqueue('notify-assignee', {
      teamId: 'team-a',
      actorId: 'ada',
      eventId: '1',
      taskId: 't1',
      title: 'One',
      assigneeId: 'bob',
    });
    await waitUntil('completed', async () => (await jobs.queue.counts()).completed === 1);
    await jobs.queue.enqueue('daily-digest', {});
    await waitUntil('the digest', async () => recorded.digests.length === 1);
    expect(recorded.digests[0]?.assignees).toEqual([
      { assigneeId: 'bob', tasks: [{ taskId: 't1', title: 'One' }] },
    ]);
  });
});

/** Polls `check` until it holds (bounded; the failure names what was awaited). */
async function waitUntil(what: string, check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
