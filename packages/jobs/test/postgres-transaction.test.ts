// Enqueue inside the caller's transaction: the job exists if and only if the business change committed,
// and workers are woken (NOTIFY) only on commit.
import type { Sql } from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createQueue, createWorker, defineJob } from '../src/index.js';
import { postgresDriver } from '../src/postgres.js';
import { postgresClient, postgresUp, testSchema } from './support/servers.js';

const notify = defineJob({
  name: 'notify-assignee',
  schema: z.object({ task: z.number() }),
  handler: (payload: { task: number }) => payload.task,
});

describe.skipIf(!postgresUp)('PostgreSQL driver in the caller transaction', () => {
  const sql = postgresUp ? postgresClient() : (undefined as unknown as Sql);
  const schema = testSchema('transaction');
  const queue = postgresUp
    ? createQueue({ driver: postgresDriver({ sql, schema }), jobs: [notify] })
    : undefined!;
  beforeAll(async () => {
    await sql.unsafe(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    await sql.unsafe(`CREATE TABLE "${schema}".tasks (id int PRIMARY KEY, assignee text)`);
  });
  afterAll(async () => {
    await sql?.unsafe(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await sql?.end();
  });

  it('adds the job when the transaction commits', async () => {
    await sql.begin(async (tx) => {
      await tx.unsafe(`INSERT INTO "${schema}".tasks VALUES (1, 'ada')`);
      await queue.enqueue(notify, { task: 1 }, { id: 'task-1', driver: { tx } });
    });
    expect(await queue.get('task-1')).toMatchObject({ state: 'waiting', payload: { task: 1 } });
  });

  it('adds no job when the transaction rolls back', async () => {
    await expect(
      sql.begin(async (tx) => {
        await tx.unsafe(`INSERT INTO "${schema}".tasks VALUES (2, 'grace')`);
        await queue.enqueue(notify, { task: 2 }, { id: 'task-2', driver: { tx } });
        throw new Error('business rule failed');
      }),
    ).rejects.toThrow('business rule failed');
    expect(await queue.get('task-2')).toBeUndefined();
    expect(await sql.unsafe(`SELECT * FROM "${schema}".tasks WHERE id = 2`)).toHaveLength(0);
  });

  it('wakes a waiting worker at commit, not before', async () => {
    const worker = createWorker(queue, { pollMs: 60_000 });
    try {
      const started: string[] = [];
      worker.on('active', ({ job }) => started.push(job.id));
      const completed = new Promise<void>((resolve) =>
        worker.on('completed', ({ job }) => job.id === 'task-3' && resolve()),
      );
      await sql.begin(async (tx) => {
        await queue.enqueue(notify, { task: 3 }, { id: 'task-3', driver: { tx } });
        // Not committed: invisible to the worker's claim, and no NOTIFY delivered yet.
        await new Promise((resolve) => setTimeout(resolve, 200));
        expect(started).not.toContain('task-3');
      });
      await completed; // a 60 s poll interval: only the commit's NOTIFY can have woken the worker this soon
    } finally {
      await worker.close();
    }
  });
});
