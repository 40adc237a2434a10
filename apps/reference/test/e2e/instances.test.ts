// Two real app processes (`node dist/main.js`) on one PostgreSQL and one Redis, and a worker process:
// a task changed through instance A reaches a WebSocket client of instance B, and its assignment is
// notified by the worker.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppProcess, apiJson, apiLogin, appDir, startApp, startWorker } from './support/app-process.js';
import { openLiveSocket, openSse } from './support/live-clients.js';
import { emptyDatabase, requirePostgres } from './support/postgres.js';
import { redisPrefix, redisUrl, requireRedis } from './support/redis.js';

const ready =
  (await requirePostgres('e2e/instances.test.ts')) && (await requireRedis('e2e/instances.test.ts'));
// The app's Redis keys: under REDIS_PREFIX where the app reads it, and in a Redis database of this
// file's own (pub/sub channels are server-wide, but carry this run's fresh team ids).
const redisDatabase = 11;
const appRedisUrl = `${redisUrl.replace(/\/\d*$/, '')}/${redisDatabase}`;
const keys = redisPrefix('instances', appRedisUrl);

interface Task {
  id: string;
  status: string;
  assigneeId: string | null;
  version: number;
}

describe.skipIf(!ready)('two instances on one PostgreSQL and Redis', () => {
  let database: { url: string; drop(): Promise<void> };
  const processes: AppProcess[] = [];
  let a: AppProcess;
  let b: AppProcess;

  beforeAll(async () => {
    const entry = 'dist/main.js';
    if (!process.env.PLINTH_E2E_ENTRY && !existsSync(join(appDir, entry))) {
      throw new Error(`${entry} is missing: run pnpm --filter @plinth/reference build first`);
    }
    database = await emptyDatabase('instances');
    const env = {
      DATABASE_URL: database.url,
      REDIS_URL: appRedisUrl,
      REDIS_PREFIX: keys.prefix,
      JWT_SECRET: randomBytes(48).toString('base64'),
      NODE_ENV: 'test',
    };
    // Both at once: migrations and the demo seed run once under the app's advisory lock.
    const started = await Promise.allSettled([startApp(entry, env), startApp(entry, env)]);
    for (const result of started) if (result.status === 'fulfilled') processes.push(result.value);
    for (const result of started) if (result.status === 'rejected') throw result.reason;
    [a, b] = processes as [AppProcess, AppProcess];
  }, 180_000);

  afterAll(async () => {
    const codes = await Promise.all(processes.map((app) => app.stop()));
    await database?.drop();
    await keys.drop();
    expect(
      codes.every((code) => code === 0),
      processes.map((app) => app.output()).join('\n'),
    ).toBe(true);
  }, 60_000);

  it('a task changed through A reaches a WebSocket client of B', async () => {
    const owner = await apiLogin(a.url, 'owner@example.com');
    const client = await openLiveSocket(`${b.url.replace('http', 'ws')}/live?team=${owner.teamId}`, [
      'bearer',
      owner.accessToken,
    ]);
    try {
      await client.inbox.next('ready on B');
      const { items } = await apiJson<{ items: Task[] }>(
        a.url,
        owner.accessToken,
        'GET',
        `/teams/${owner.teamId}/tasks`,
      );
      const task = items.find((item) => item.status === 'open');
      if (!task) throw new Error('the demo data has no open task');
      const changed = await apiJson<Task>(a.url, owner.accessToken, 'PATCH', `/tasks/${task.id}`, {
        status: 'in_progress',
      });
      const event = await client.inbox.next(
        `the change of task ${task.id} on B`,
        (message) => (message.payload as { task?: Task } | undefined)?.task?.id === task.id,
        30_000,
      );
      expect(event).toMatchObject({
        type: 'task.updated',
        payload: {
          teamId: owner.teamId,
          task: { id: task.id, status: 'in_progress', version: changed.version },
        },
      });
    } finally {
      await client.close();
    }
  });

  it('an assignment made through B is notified by the worker process', async () => {
    const owner = await apiLogin(b.url, 'owner@example.com');
    const { items } = await apiJson<{ items: Task[] }>(
      b.url,
      owner.accessToken,
      'GET',
      `/teams/${owner.teamId}/tasks`,
    );
    const task = items.find((item) => item.assigneeId !== owner.me.id);
    if (!task) throw new Error('the demo data has no task assigned to someone else');
    const worker = await startWorker({ REDIS_URL: appRedisUrl, REDIS_PREFIX: keys.prefix });
    try {
      await apiJson(b.url, owner.accessToken, 'PATCH', `/tasks/${task.id}`, { assigneeId: owner.me.id });
      const line = await worker.lines.next(
        'the notification',
        (entry) =>
          entry.msg === 'notification: task assigned' &&
          (entry.notification as { taskId?: string } | undefined)?.taskId === task.id,
        60_000,
      );
      expect(line.notification).toMatchObject({ assigneeId: owner.me.id, teamId: owner.teamId });
    } finally {
      expect(await worker.stop(), worker.output()).toBe(0);
    }
  });

  it('SIGTERM with WebSocket and SSE clients open: sockets close with 1001, streams end, exit 0', async () => {
    const owner = await apiLogin(a.url, 'owner@example.com');
    const socket = await openLiveSocket(`${a.url.replace('http', 'ws')}/live?team=${owner.teamId}`, [
      'bearer',
      owner.accessToken,
    ]);
    await socket.inbox.next('ready on A');
    const stream = await openSse(`${a.url}/teams/${owner.teamId}/events`, {
      authorization: `Bearer ${owner.accessToken}`,
    });
    expect(stream.response.status).toBe(200);
    // Open streams are requests in flight: the drain would wait for them until the timeout (exit 1).
    expect(await a.stop(), a.output()).toBe(0);
    expect(await socket.closed).toBe(1001);
    await expect(stream.inbox.next('nothing: the stream ends')).rejects.toThrow(/ended|terminated|aborted/i);
  });
});
