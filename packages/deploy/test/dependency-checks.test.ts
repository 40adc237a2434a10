// The ready-made checks against the real PostgreSQL and Redis, and against a port nobody listens on.

import { drizzle } from 'drizzle-orm/postgres-js';
import { Redis } from 'ioredis';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHealth, drizzleCheck, postgresCheck, redisCheck } from '../src/index.js';
import { reachable } from './support/reachable.js';

const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const pgUp = await reachable(databaseUrl, 'PostgreSQL');
const redisUp = await reachable(redisUrl, 'Redis');
// A port on loopback with nothing listening: connection refused at once.
const deadPort = 'postgres://postgres@127.0.0.1:1/test';

async function readiness(check: Parameters<typeof createHealth>[0]) {
  const health = createHealth({ ...check, started: true, verbose: true });
  const response = await health.fetch(new Request('http://x/readyz?verbose'));
  return { status: response.status, body: await response.json() };
}

describe.skipIf(!pgUp)('postgresCheck and drizzleCheck (PostgreSQL)', () => {
  const sql = postgres(databaseUrl, { max: 2, onnotice: () => {} });
  afterAll(() => sql.end({ timeout: 5 }));

  it('passes through postgres.js', async () => {
    const { status, body } = await readiness({ checks: [postgresCheck(sql)] });
    expect(status).toBe(200);
    expect(body.checks['postgres:responseTime'][0]).toMatchObject({
      status: 'pass',
      componentType: 'datastore',
    });
  });

  it('passes through drizzle', async () => {
    const { status, body } = await readiness({ checks: [drizzleCheck(drizzle(sql), { name: 'drizzle' })] });
    expect(status).toBe(200);
    expect(body.checks['drizzle:responseTime'][0].status).toBe('pass');
  });

  it('fails within its timeout when the server is unreachable', async () => {
    const dead = postgres(deadPort, { max: 1, connect_timeout: 30 });
    try {
      const started = performance.now();
      const { status, body } = await readiness({ checks: [postgresCheck(dead, { timeout: 500 })] });
      expect(status).toBe(503);
      expect(body.checks['postgres:responseTime'][0].status).toBe('fail');
      expect(performance.now() - started).toBeLessThan(5000);
    } finally {
      await dead.end({ timeout: 1 });
    }
  });

  it('cancels a query that outlives the timeout and reports the timeout', async () => {
    const slow = postgresCheck(
      Object.assign((strings: TemplateStringsArray) => {
        void strings;
        return sql`select pg_sleep(5)`;
      }),
      { timeout: 200 },
    );
    const { status, body } = await readiness({ checks: [slow] });
    expect(status).toBe(503);
    expect(body.checks['postgres:responseTime'][0].output).toContain('did not finish within 200 ms');
    // The pool is usable again at once: the sleeping query was cancelled, not left running.
    const [row] = await sql`select 1 as one`;
    expect(row?.one).toBe(1);
  });
});

describe.skipIf(!redisUp)('redisCheck (Redis)', () => {
  let client: Redis;
  beforeAll(() => {
    client = new Redis(redisUrl, { lazyConnect: false });
  });
  afterAll(() => client.quit());

  it('passes with PONG', async () => {
    const { status, body } = await readiness({ checks: [redisCheck(client)] });
    expect(status).toBe(200);
    expect(body.checks['redis:responseTime'][0].status).toBe('pass');
  });

  it('fails within its timeout when Redis is unreachable, and a non-critical failure only warns', async () => {
    const dead = new Redis({ host: '127.0.0.1', port: 1, lazyConnect: true, maxRetriesPerRequest: null });
    dead.on('error', () => {});
    try {
      const { status, body } = await readiness({
        checks: [redisCheck(dead, { timeout: 300, critical: false })],
      });
      expect(status).toBe(200);
      expect(body.status).toBe('warn');
      expect(body.checks['redis:responseTime'][0]).toMatchObject({ status: 'fail' });
    } finally {
      dead.disconnect();
    }
  });
});
