// removeOnComplete on PostgreSQL: with `true` the completion deletes the row in its own statement, so a
// busy queue's table holds no completed rows at all; with a count, workers prune down to it.
import type { Sql } from 'postgres';
import { afterAll, describe, expect, it } from 'vitest';
import { createQueue, createWorker, defineJob, type Worker } from '../src/index.js';
import { postgresDriver } from '../src/postgres.js';
import { postgresClient, postgresUp, testSchema } from './support/servers.js';

const echo = defineJob({ name: 'echo', handler: (payload: { n: number }) => ({ n: payload.n }) });

function completedAll(worker: Worker, count: number): Promise<void> {
  let seen = 0;
  return new Promise((resolve) => worker.on('completed', () => ++seen === count && resolve()));
}

describe.skipIf(!postgresUp)('PostgreSQL driver: removeOnComplete', () => {
  const sql = postgresUp ? postgresClient() : (undefined as unknown as Sql);
  const schema = testSchema('retention');
  afterAll(async () => {
    await sql?.unsafe(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await sql?.end();
  });
  const rows = async (queue: string) =>
    Number((await sql.unsafe(`SELECT count(*) AS n FROM "${schema}".jobs WHERE queue = $1`, [queue]))[0]!.n);

  it('true: no rows accumulate, whatever the batch sizes', async () => {
    const queue = createQueue({
      driver: postgresDriver({ sql, schema }),
      name: 'remove-true',
      jobs: [echo],
      removeOnComplete: true,
    });
    const total = 500;
    await queue.enqueueMany(Array.from({ length: total }, (_, n) => ({ job: echo, payload: { n } })));
    const worker = createWorker(queue, { concurrency: 20, prefetch: 20 });
    await completedAll(worker, total);
    await worker.close();
    expect(await rows('remove-true')).toBe(0);
    expect(await queue.counts()).toMatchObject({ waiting: 0, active: 0, completed: 0, dead: 0 });
  });

  it('a count: the newest completed jobs and their results stay, the rest are pruned', async () => {
    const queue = createQueue({
      driver: postgresDriver({ sql, schema }),
      name: 'remove-count',
      jobs: [echo],
      removeOnComplete: { count: 10 },
    });
    await queue.enqueueMany(Array.from({ length: 100 }, (_, n) => ({ job: echo, payload: { n } })));
    const worker = createWorker(queue, { concurrency: 5 });
    await completedAll(worker, 100);
    await worker.close();
    expect(await rows('remove-count')).toBe(10);
    const kept = await queue.list('completed');
    expect(kept).toHaveLength(10);
    for (const job of kept) expect(job.result).toEqual(job.payload);
  });
});
