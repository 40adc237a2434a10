// A server that is gone: enqueue rejects with ERR_JOBS_DRIVER naming the server and what to check, so
// the caller knows the job was not accepted (nothing is silently dropped).
import { createServer } from 'node:net';
import { Redis } from 'ioredis';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createQueue, defineJob } from '../src/index.js';
import { postgresDriver } from '../src/postgres.js';
import { redisDriver } from '../src/redis.js';

const noop = defineJob({ name: 'noop', handler: () => undefined });
let closedPort = 0;

beforeAll(async () => {
  // A port that was just free: nothing listens there any more.
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closedPort = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('a server that does not answer', () => {
  const clients: Array<{ close(): Promise<unknown> }> = [];
  afterAll(async () => {
    await Promise.all(clients.map((client) => client.close()));
  });

  it('Redis: enqueue rejects with ERR_JOBS_DRIVER', async () => {
    const client = new Redis({
      port: closedPort,
      host: '127.0.0.1',
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    client.on('error', () => undefined);
    clients.push({ close: async () => client.disconnect() });
    const queue = createQueue({ driver: redisDriver({ client }), jobs: [noop] });
    await expect(queue.enqueue(noop, null)).rejects.toMatchObject({
      code: 'ERR_JOBS_DRIVER',
      message: expect.stringContaining('check REDIS_URL'),
    });
  });

  it('PostgreSQL: enqueue rejects with ERR_JOBS_DRIVER', async () => {
    const sql = postgres(`postgres://postgres@127.0.0.1:${closedPort}/none`, { connect_timeout: 2, max: 1 });
    clients.push({ close: () => sql.end({ timeout: 1 }) });
    const queue = createQueue({ driver: postgresDriver({ sql }), jobs: [noop] });
    await expect(queue.enqueue(noop, null)).rejects.toMatchObject({
      code: 'ERR_JOBS_DRIVER',
      message: expect.stringContaining('check DATABASE_URL'),
    });
  });
});
