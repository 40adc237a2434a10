// The contenders of bench/index.ts, each behind the same three operations.
import { randomUUID } from 'node:crypto';
import { Queue as BullQueue, Worker as BullWorker } from 'bullmq';
import { Logger, makeWorkerUtils, run as runGraphile } from 'graphile-worker';
import type { Redis } from 'ioredis';
import { PgBoss } from 'pg-boss';
import type { Sql } from 'postgres';
import { createQueue, createWorker, defineJob, type QueueDriver } from '../src/index.js';
import { postgresDriver } from '../src/postgres.js';
import { redisDriver } from '../src/redis.js';

export interface Run {
  enqueue(count: number): Promise<void>;
  /** Resolves when `count` jobs have completed. */
  process(count: number, concurrency: number): Promise<void>;
  /** Enqueues at `perSecond` for `seconds`; returns enqueue-to-start latencies in ms. */
  latency(perSecond: number, seconds: number): Promise<number[]>;
  close(): Promise<void>;
}

export interface Subject {
  name: string;
  label: string;
  open(): Promise<Run>;
}

interface Servers {
  redis: Redis;
  redisUrl: string;
  sql: Sql;
  databaseUrl: string;
}

const batch = 1000;
const silent = new Logger(() => () => undefined);

async function steady(
  perSecond: number,
  seconds: number,
  send: (sentAt: number) => Promise<void>,
  started: Map<number, number>,
) {
  const total = perSecond * seconds;
  const begin = performance.now();
  const sends: Promise<void>[] = [];
  for (let index = 0; index < total; index++) {
    const due = begin + (index * 1000) / perSecond;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    sends.push(send(performance.now()));
  }
  await Promise.all(sends);
  const deadline = performance.now() + 10_000;
  while (started.size < total && performance.now() < deadline)
    await new Promise((resolve) => setTimeout(resolve, 20));
  return [...started.values()];
}

function ours(
  name: string,
  label: string,
  prefetch: number,
  driverOf: (servers: Servers, namespace: string) => QueueDriver,
  servers: Servers,
  cleanup: (namespace: string) => Promise<void>,
  removeOnComplete = false,
): Subject {
  return {
    name,
    label,
    async open() {
      const namespace = `bench_${randomUUID().slice(0, 8)}`;
      const driver = driverOf(servers, namespace);
      const latencies = new Map<number, number>();
      let done = 0;
      let onDone: (() => void) | undefined;
      const noop = defineJob({
        name: 'noop',
        handler: (payload: { sentAt?: number; n: number }) => {
          if (payload.sentAt !== undefined)
            latencies.set(payload.n, performance.timeOrigin + performance.now() - payload.sentAt);
        },
      });
      const queue = createQueue({ driver, name: 'bench', jobs: [noop], removeOnComplete });
      const workers: ReturnType<typeof createWorker>[] = [];
      return {
        async enqueue(count) {
          for (let from = 0; from < count; from += batch) {
            await queue.enqueueMany(
              Array.from({ length: Math.min(batch, count - from) }, (_, index) => ({
                job: noop,
                payload: { n: from + index },
              })),
            );
          }
        },
        async process(count, concurrency) {
          const worker = createWorker(queue, { concurrency, prefetch });
          workers.push(worker);
          await new Promise<void>((resolve) => {
            onDone = resolve;
            worker.on('completed', () => {
              if (++done === count) onDone?.();
            });
          });
        },
        async latency(perSecond, seconds) {
          workers.push(createWorker(queue, { concurrency: 50 }));
          let n = 0;
          return steady(
            perSecond,
            seconds,
            async () => {
              await queue.enqueue(noop, { n: n++, sentAt: performance.timeOrigin + performance.now() });
            },
            latencies,
          );
        },
        async close() {
          await Promise.all(workers.map((worker) => worker.close({ timeoutMs: 1000 })));
          await driver.close();
          await cleanup(namespace);
        },
      };
    },
  };
}

function bullmq(servers: Servers): Subject {
  return {
    name: 'bullmq',
    label: 'BullMQ 6.7 (Redis)',
    async open() {
      const prefix = `bench-bull-${randomUUID().slice(0, 8)}`;
      const connection = { url: servers.redisUrl, maxRetriesPerRequest: null };
      const queue = new BullQueue('bench', { connection, prefix });
      const workers: BullWorker[] = [];
      const latencies = new Map<number, number>();
      return {
        async enqueue(count) {
          for (let from = 0; from < count; from += batch) {
            await queue.addBulk(
              Array.from({ length: Math.min(batch, count - from) }, (_, index) => ({
                name: 'noop',
                data: { n: from + index },
              })),
            );
          }
        },
        async process(count, concurrency) {
          let done = 0;
          await new Promise<void>((resolve) => {
            const worker = new BullWorker('bench', async () => undefined, {
              connection,
              prefix,
              concurrency,
            });
            workers.push(worker);
            worker.on('completed', () => {
              if (++done === count) resolve();
            });
          });
        },
        async latency(perSecond, seconds) {
          workers.push(
            new BullWorker(
              'bench',
              async (job) =>
                void latencies.set(job.data.n, performance.timeOrigin + performance.now() - job.data.sentAt),
              { connection, prefix, concurrency: 50 },
            ),
          );
          let n = 0;
          return steady(
            perSecond,
            seconds,
            async () => {
              await queue.add('noop', { n: n++, sentAt: performance.timeOrigin + performance.now() });
            },
            latencies,
          );
        },
        async close() {
          await Promise.all(workers.map((worker) => worker.close()));
          await queue.obliterate({ force: true });
          await queue.close();
        },
      };
    },
  };
}

function pgBoss(servers: Servers): Subject {
  return {
    name: 'pg-boss',
    label: 'pg-boss 12 (PostgreSQL)',
    async open() {
      const schema = `bench_boss_${randomUUID().slice(0, 8)}`;
      const boss = new PgBoss({ connectionString: servers.databaseUrl, schema });
      boss.on('error', () => undefined);
      await boss.start();
      await boss.createQueue('bench', { notify: true } as never);
      const latencies = new Map<number, number>();
      return {
        async enqueue(count) {
          for (let from = 0; from < count; from += batch) {
            await boss.insert(
              'bench',
              Array.from({ length: Math.min(batch, count - from) }, (_, index) => ({
                data: { n: from + index },
              })),
            );
          }
        },
        async process(count, concurrency) {
          let done = 0;
          await new Promise<void>((resolve) => {
            void boss.work(
              'bench',
              // concurrency / 10 local workers fetching 10 jobs each, again at once while batches come back full.
              {
                localConcurrency: concurrency / 10,
                batchSize: 10,
                burstWhenBatchFull: true,
                pollingIntervalSeconds: 0.5,
              },
              async (jobs) => {
                done += jobs.length;
                if (done >= count) resolve();
              },
            );
          });
        },
        async latency(perSecond, seconds) {
          await boss.work<{ n: number; sentAt: number }>(
            'bench',
            { localConcurrency: 50, pollingIntervalSeconds: 0.5 },
            async (jobs) => {
              for (const job of jobs)
                latencies.set(job.data.n, performance.timeOrigin + performance.now() - job.data.sentAt);
            },
          );
          let n = 0;
          return steady(
            perSecond,
            seconds,
            async () => {
              await boss.send('bench', { n: n++, sentAt: performance.timeOrigin + performance.now() });
            },
            latencies,
          );
        },
        async close() {
          await boss.stop({ graceful: false, wait: true, timeout: 1000 } as never);
          await servers.sql.unsafe(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
        },
      };
    },
  };
}

function graphile(servers: Servers, batched: boolean): Subject {
  return {
    name: batched ? 'graphile-batched' : 'graphile',
    label: batched ? 'graphile-worker 0.18, batched (PostgreSQL)' : 'graphile-worker 0.18 (PostgreSQL)',
    async open() {
      const schema = `bench_gw_${randomUUID().slice(0, 8)}`;
      const preset = {
        worker: {
          connectionString: servers.databaseUrl,
          schema,
          pollInterval: 500,
          ...(batched ? { localQueue: { size: 500 }, completeJobBatchDelay: 0, failJobBatchDelay: 0 } : {}),
        },
      };
      const utils = await makeWorkerUtils({ connectionString: servers.databaseUrl, schema });
      await utils.migrate();
      const latencies = new Map<number, number>();
      let done = 0;
      let target = Number.POSITIVE_INFINITY;
      let resolveDone: (() => void) | undefined;
      const runners: Array<{ stop(): Promise<void> }> = [];
      const taskList = {
        noop: async (payload: unknown) => {
          const data = payload as { n: number; sentAt?: number };
          if (data.sentAt !== undefined)
            latencies.set(data.n, performance.timeOrigin + performance.now() - data.sentAt);
          if (++done === target) resolveDone?.();
        },
      };
      return {
        async enqueue(count) {
          for (let from = 0; from < count; from += batch) {
            await utils.addJobs(
              Array.from({ length: Math.min(batch, count - from) }, (_, index) => ({
                identifier: 'noop',
                payload: { n: from + index },
              })),
            );
          }
        },
        async process(count, concurrency) {
          target = count;
          const finished = new Promise<void>((resolve) => (resolveDone = resolve));
          runners.push(
            await runGraphile({
              preset: { worker: { ...preset.worker, concurrentJobs: concurrency } },
              taskList,
              noHandleSignals: true,
              logger: silent,
            } as never),
          );
          await finished;
        },
        async latency(perSecond, seconds) {
          runners.push(
            await runGraphile({
              preset: { worker: { ...preset.worker, concurrentJobs: 50 } },
              taskList,
              noHandleSignals: true,
              logger: silent,
            } as never),
          );
          let n = 0;
          return steady(
            perSecond,
            seconds,
            async () => {
              await utils.addJob('noop', { n: n++, sentAt: performance.timeOrigin + performance.now() });
            },
            latencies,
          );
        },
        async close() {
          await Promise.all(runners.map((runner) => runner.stop()));
          await utils.release();
          await servers.sql.unsafe(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
        },
      };
    },
  };
}

/** Every contender, in table order. */
export function subjects(servers: Servers): Subject[] {
  const dropKeys = async (namespace: string) => {
    let cursor = '0';
    do {
      const [next, keys] = await servers.redis.scan(cursor, 'MATCH', `${namespace}*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await servers.redis.del(...keys);
    } while (cursor !== '0');
  };
  const dropSchema = async (namespace: string) => {
    await servers.sql.unsafe(`DROP SCHEMA IF EXISTS "${namespace}" CASCADE`);
  };
  return [
    ours(
      'plinth-redis',
      '@plinth/jobs (Redis)',
      0,
      ({ redis }, namespace) => redisDriver({ client: redis, prefix: `${namespace}:` }),
      servers,
      dropKeys,
    ),
    ours(
      'plinth-redis-remove',
      '@plinth/jobs (Redis, removeOnComplete)',
      0,
      ({ redis }, namespace) => redisDriver({ client: redis, prefix: `${namespace}:` }),
      servers,
      dropKeys,
      true,
    ),
    bullmq(servers),
    ours(
      'plinth-postgres',
      '@plinth/jobs (PostgreSQL)',
      Number(process.env.BENCH_PG_PREFETCH ?? 450),
      ({ sql }, namespace) => postgresDriver({ sql, schema: namespace }),
      servers,
      dropSchema,
    ),
    ours(
      'plinth-postgres-remove',
      '@plinth/jobs (PostgreSQL, removeOnComplete)',
      Number(process.env.BENCH_PG_PREFETCH ?? 450),
      ({ sql }, namespace) => postgresDriver({ sql, schema: namespace }),
      servers,
      dropSchema,
      true,
    ),
    pgBoss(servers),
    graphile(servers, false),
    graphile(servers, true),
  ];
}
