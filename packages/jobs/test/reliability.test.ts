// At-least-once under failure, on real Redis and PostgreSQL: 1,000 jobs, 4 worker processes, one killed
// with SIGKILL midway; every job completes and the duplicates (jobs run twice) stay within what the
// killed worker had in flight. Then Redis drops the worker's connections (CLIENT KILL) mid-run.
import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { Redis } from 'ioredis';
import type { Sql } from 'postgres';
import { afterAll, describe, expect, it } from 'vitest';
import { createQueue, createWorker, defineJob, type QueueDriver } from '../src/index.js';
import { postgresDriver } from '../src/postgres.js';
import { redisDriver } from '../src/redis.js';
import {
  databaseUrl,
  dropPrefix,
  postgresClient,
  postgresUp,
  redisClient,
  redisUp,
  redisUrl,
  testPrefix,
  testSchema,
} from './support/servers.js';

const fixture = fileURLToPath(new URL('./fixtures/worker-process.ts', import.meta.url));
const work = defineJob({ name: 'work', handler: (payload: { n: number }) => payload.n });

interface Child {
  process: ChildProcess;
  starts: Map<number, number>;
  done: Set<number>;
  stalled: string[];
  ready: Promise<void>;
}

function spawnWorker(kind: string, url: string, namespace: string, hangAfter?: number): Child {
  const args = [
    fixture,
    kind,
    url,
    namespace,
    '10',
    '3000',
    ...(hangAfter === undefined ? [] : [String(hangAfter)]),
  ];
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const starts = new Map<number, number>();
  const done = new Set<number>();
  const stalled: string[] = [];
  let onReady!: () => void;
  const ready = new Promise<void>((resolve) => (onReady = resolve));
  createInterface({ input: child.stdout! }).on('line', (line) => {
    const [word, n] = line.split(' ');
    if (word === 'ready') onReady();
    else if (word === 'start') starts.set(Number(n), (starts.get(Number(n)) ?? 0) + 1);
    else if (word === 'done') done.add(Number(n));
    else if (word === 'stalled') stalled.push(n!);
  });
  return { process: child, starts, done, stalled, ready };
}

async function waitFor(
  condition: () => Promise<boolean> | boolean,
  what: string,
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function killMidway(kind: string, url: string, namespace: string, driver: QueueDriver) {
  const queue = createQueue({ driver, jobs: [work] });
  const total = 1000;
  await queue.enqueueMany(
    Array.from({ length: total }, (_, n) => ({ job: work, payload: { n }, options: { id: `job-${n}` } })),
  );
  // The victim stops finishing jobs after 20, so it is mid-job when killed however late this process
  // reads its output (on a loaded machine the others could otherwise have drained the queue by then).
  const children = Array.from({ length: 4 }, (_, index) =>
    spawnWorker(kind, url, namespace, index === 0 ? 20 : undefined),
  );
  try {
    await Promise.all(children.map((child) => child.ready));
    const victim = children[0]!;
    const running = () => [...victim.starts.keys()].filter((n) => !victim.done.has(n)).length;
    await waitFor(() => victim.done.size >= 20 && running() > 0, 'the victim to be mid-job');
    victim.process.kill('SIGKILL');
    await new Promise((resolve) => victim.process.once('close', resolve));
    const inFlight = [...victim.starts.keys()].filter((n) => !victim.done.has(n));
    await waitFor(async () => (await queue.counts()).completed === total, `all ${total} jobs to complete`);
    const counts = await queue.counts();
    const runs = new Map<number, number>();
    for (const child of children)
      for (const [n, count] of child.starts) runs.set(n, (runs.get(n) ?? 0) + count);
    const duplicates = [...runs.values()].reduce((sum, count) => sum + count - 1, 0);
    const stalled = children.flatMap((child) => child.stalled).length;
    console.info(
      `[${kind}] ${total} jobs, victim had ${inFlight.length} in flight when killed, ${stalled} stalled, ${duplicates} ran twice`,
    );
    expect(counts).toMatchObject({ completed: total, dead: 0, active: 0, waiting: 0 });
    expect(runs.size).toBe(total);
    expect(inFlight.length).toBeGreaterThan(0);
    for (const n of inFlight) expect((await queue.get(`job-${n}`))?.state).toBe('completed');
    // A job runs twice only after its lease expired: each duplicate was recovered as stalled first.
    expect(duplicates).toBeLessThanOrEqual(stalled);
    expect(stalled).toBeGreaterThanOrEqual(inFlight.length);
  } finally {
    for (const child of children) child.process.kill('SIGKILL');
  }
}

describe.skipIf(!redisUp)('reliability on Redis', () => {
  const client = redisUp ? redisClient() : (undefined as unknown as Redis);
  const prefixes: string[] = [];
  afterAll(async () => {
    for (const prefix of prefixes) await dropPrefix(client, prefix);
    await client?.quit();
  });

  it('loses no job when one of 4 worker processes is SIGKILLed midway through 1,000', async () => {
    const prefix = testPrefix('reliability-kill');
    prefixes.push(prefix);
    await killMidway('redis', redisUrl, prefix, redisDriver({ client, prefix }));
  }, 120_000);

  it('finishes every job when Redis drops the worker connections mid-run', async () => {
    const prefix = testPrefix('reliability-drop');
    prefixes.push(prefix);
    const name = `plinth-jobs-victim-${process.pid}`;
    const { Redis: RedisClass } = await import('ioredis');
    const workerClient = new RedisClass(redisUrl, { connectionName: name });
    const queue = createQueue({ driver: redisDriver({ client, prefix }), jobs: [work] });
    const workerQueue = createQueue({ driver: redisDriver({ client: workerClient, prefix }), jobs: [work] });
    await queue.enqueueMany(Array.from({ length: 300 }, (_, n) => ({ job: work, payload: { n } })));
    const worker = createWorker(workerQueue, { concurrency: 5, pollMs: 20, leaseMs: 1000 });
    const errors: unknown[] = [];
    worker.on('error', ({ error }) => errors.push(error));
    let killed = 0;
    try {
      await waitFor(async () => (await queue.counts()).completed >= 50, 'some progress');
      const list = (await client.client('LIST')) as string;
      for (const line of list.split('\n').filter((entry) => entry.includes(`name=${name}`))) {
        const id = /\bid=(\d+)/.exec(line)![1]!;
        killed += Number(await client.client('KILL', 'ID', id));
      }
      await waitFor(async () => (await queue.counts()).completed === 300, 'all 300 jobs after the reconnect');
      expect(killed).toBeGreaterThanOrEqual(1);
      expect(await queue.counts()).toMatchObject({ completed: 300, dead: 0, active: 0, waiting: 0 });
    } finally {
      await worker.close({ timeoutMs: 1000 });
      await workerQueue.driver.close();
      workerClient.disconnect();
    }
  }, 120_000);
});

describe.skipIf(!postgresUp)('reliability on PostgreSQL', () => {
  const sql = postgresUp ? postgresClient() : (undefined as unknown as Sql);
  const schema = testSchema('reliability');
  afterAll(async () => {
    await sql?.unsafe(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await sql?.end();
  });

  it('loses no job when one of 4 worker processes is SIGKILLed midway through 1,000', async () => {
    await killMidway('postgres', databaseUrl, schema, postgresDriver({ sql, schema }));
  }, 120_000);
});
