// Property tests of the key state machine (README, "Deduplication, debounce and throttle"): random
// sequences of adds, claims, completions and clock moves on every driver, compared with a model, and
// the invariants checked on what the driver stores: never two waiting-or-active jobs of one dedupe
// key, never two unclaimed jobs of one debounce key, never two throttled jobs within one window.
import fc from 'fast-check';
import type { Redis } from 'ioredis';
import type { Sql } from 'postgres';
import { afterAll, describe, expect, it } from 'vitest';
import type { JobKey, QueueDriver } from '../src/driver.js';
import { memoryDriver } from '../src/drivers/memory.js';
import { postgresDriver } from '../src/postgres.js';
import { redisDriver } from '../src/redis.js';
import {
  dropPrefix,
  postgresClient,
  postgresUp,
  redisClient,
  redisUp,
  testPrefix,
  testSchema,
} from './support/servers.js';

type Mode = JobKey['mode'];
type Step =
  | { kind: 'add'; mode: Mode; key: string; payload: number }
  | { kind: 'claim' }
  | { kind: 'complete' }
  | { kind: 'tick'; ms: number };

const window = 100;
const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('add' as const),
      mode: fc.constantFrom<Mode>('dedupe', 'debounce', 'throttle'),
      key: fc.constantFrom('a', 'b'),
      payload: fc.integer({ min: 0, max: 99 }),
    }),
  },
  { weight: 2, arbitrary: fc.constant({ kind: 'claim' as const }) },
  { weight: 2, arbitrary: fc.constant({ kind: 'complete' as const }) },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('tick' as const), ms: fc.constantFrom(1, 50, 99, 100, 150) }),
  },
);

interface ModelJob {
  state: 'waiting' | 'active' | 'completed';
  claimed: boolean;
  runAt: number;
  payload: number;
}

/** The state machine as the README states it, written independently of the drivers. */
class Model {
  now = 0;
  jobs = new Map<string, ModelJob>();
  holders = new Map<string, { id: string; until: number }>();

  add(id: string, mode: Mode, key: string, payload: number): { id: string; added: boolean } {
    const field = `${mode}:${key}`;
    const holder = this.holders.get(field);
    const job = holder && this.jobs.get(holder.id);
    if (mode === 'throttle' && holder && this.now < holder.until) return { id: holder.id, added: false };
    if (mode === 'dedupe' && job && job.state !== 'completed') return { id: holder!.id, added: false };
    if (mode === 'debounce' && job && job.state === 'waiting' && !job.claimed) {
      job.payload = payload;
      job.runAt = this.now + window;
      return { id: holder!.id, added: false };
    }
    this.holders.set(field, { id, until: this.now + window });
    this.jobs.set(id, {
      state: 'waiting',
      claimed: false,
      runAt: mode === 'debounce' ? this.now + window : this.now,
      payload,
    });
    return { id, added: true };
  }
}

async function check(make: (now: () => number) => Promise<QueueDriver>, runs: number) {
  let queueCounter = 0;
  await fc.assert(
    fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 30 }), async (steps) => {
      const model = new Model();
      const driver = await make(() => 1_800_000_000_000 + model.now);
      const queue = `prop${process.pid}-${Date.now()}-${queueCounter++}`;
      const active: Array<{ id: string; token: string }> = [];
      try {
        let counter = 0;
        for (const current of steps) {
          if (current.kind === 'add') {
            const id = `j${counter++}`;
            const key = { mode: current.mode, value: current.key, windowMs: window };
            const [result] = await driver.add(queue, [
              { id, name: 'p', payload: current.payload, priority: 0, maxAttempts: 1, key },
            ]);
            expect(result).toEqual(model.add(id, current.mode, current.key, current.payload));
          } else if (current.kind === 'claim') {
            const claimed = await driver.claim(queue, { limit: 100, leaseMs: 1_000_000 });
            const due = [...model.jobs]
              .filter(([, job]) => job.state === 'waiting' && job.runAt <= model.now)
              .map(([id]) => id);
            expect(claimed.map((job) => job.id).sort()).toEqual(due.sort());
            for (const job of claimed) {
              const modelled = model.jobs.get(job.id)!;
              expect(job.payload).toBe(modelled.payload);
              modelled.state = 'active';
              modelled.claimed = true;
              active.push({ id: job.id, token: job.token });
            }
          } else if (current.kind === 'complete') {
            const next = active.shift();
            if (next) {
              expect(await driver.complete(queue, next.id, next.token, null)).toBe(true);
              model.jobs.get(next.id)!.state = 'completed';
            }
          } else model.now += current.ms;
        }
        const stored = [
          ...(await driver.list(queue, 'waiting', { limit: 1000 })),
          ...(await driver.list(queue, 'delayed', { limit: 1000 })),
        ];
        expect(stored.map((job) => job.id).sort()).toEqual(
          [...model.jobs]
            .filter(([, job]) => job.state === 'waiting')
            .map(([id]) => id)
            .sort(),
        );
      } finally {
        await driver.close();
      }
    }),
    { numRuns: runs },
  );
}

/** 20 concurrent adds per mode on one key: exactly one added, every other answered with its id. */
async function race(driver: QueueDriver) {
  const queue = `race${process.pid}-${Date.now()}`;
  for (const mode of ['dedupe', 'debounce', 'throttle'] as const) {
    const key = { mode, value: 'same', windowMs: 60_000 };
    const results = (
      await Promise.all(
        Array.from({ length: 20 }, (_, index) =>
          driver.add(queue, [
            { id: `${mode}-${index}`, name: 'p', payload: index, priority: 0, maxAttempts: 1, key },
          ]),
        ),
      )
    ).flat();
    const added = results.filter((result) => result.added);
    expect(added).toHaveLength(1);
    expect(new Set(results.map((result) => result.id))).toEqual(new Set([added[0]!.id]));
  }
  await driver.close();
}

describe('key state machine', () => {
  const client = redisUp ? redisClient() : (undefined as unknown as Redis);
  const prefix = testPrefix('keys');
  const sql = postgresUp ? postgresClient() : (undefined as unknown as Sql);
  const schema = testSchema('keys');
  afterAll(async () => {
    if (client) {
      await dropPrefix(client, prefix);
      await client.quit();
    }
    if (sql) {
      await sql.unsafe(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await sql.end();
    }
  });

  it('memory driver matches the model', async () => {
    await check(async (now) => memoryDriver({ now }), 300);
  });

  describe.skipIf(!redisUp)('on Redis', () => {
    it('Redis driver matches the model', async () => {
      await check(async (now) => redisDriver({ client, prefix, now }), 100);
    }, 120_000);
    it('Redis driver lets one of 20 concurrent adds of each key in', async () => {
      await race(redisDriver({ client, prefix }));
    });
  });

  describe.skipIf(!postgresUp)('on PostgreSQL', () => {
    it('PostgreSQL driver matches the model', async () => {
      await check(async (now) => postgresDriver({ sql, schema, now }), 40);
    }, 120_000);
    it('PostgreSQL driver lets one of 20 concurrent adds of each key in', async () => {
      await race(postgresDriver({ sql, schema }));
    });
  });

  it('memory driver lets one of 20 concurrent adds of each key in', async () => {
    await race(memoryDriver());
  });
});
