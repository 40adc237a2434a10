// The Redis store against a real Redis: two processes racing on one limit, a server that does not
// answer (closed port), a client that disconnects, and the EVAL fallback when the script is not cached.
import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { redisStore } from '../src/drivers/redis.js';
import type { SecurityError } from '../src/errors.js';
import { createLoginThrottle } from '../src/login-throttle.js';
import { createRateLimiter } from '../src/rate-limit.js';
import { frozenClock } from './support/clock.js';
import { redisClient, redisUp, redisUrl, testPrefix } from './support/redis.js';

const view = { method: 'GET', path: '/', peer: '192.0.2.1', header: () => undefined };
const policies = [{ name: 'default', limit: 5, windowMs: 60_000 }];

function startWorker(prefix: string, count: number, algorithm: string) {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      fileURLToPath(new URL('./fixtures/concurrent-worker.ts', import.meta.url)),
      redisUrl,
      prefix,
      String(count),
      algorithm,
    ],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  return { child, next: async () => String((await lines.next()).value) };
}

describe.skipIf(!redisUp)('Redis store', () => {
  const client = redisUp ? redisClient() : (undefined as unknown as Redis);
  const children: ChildProcess[] = [];
  afterAll(async () => {
    for (const child of children) child.kill();
    await client?.quit();
  });

  it.each(['sliding-window', 'fixed-window', 'token-bucket'])(
    'two processes sending 1,000 checks at once against a limit of 100 let exactly 100 through (%s)',
    async (algorithm) => {
      const prefix = testPrefix(`race-${algorithm}`);
      const workers = [startWorker(prefix, 500, algorithm), startWorker(prefix, 500, algorithm)];
      children.push(...workers.map((worker) => worker.child));
      expect(await Promise.all(workers.map((worker) => worker.next()))).toEqual(['ready', 'ready']);
      for (const worker of workers) worker.child.stdin!.write('go\n');
      const results = (await Promise.all(workers.map((worker) => worker.next()))).map(
        (line) => JSON.parse(line) as { allowed: number; errors: number },
      );
      expect(results.map((result) => result.errors)).toEqual([0, 0]);
      expect(results[0]!.allowed + results[1]!.allowed).toBe(100);
    },
    60_000,
  );

  it('login throttling works on the shared store: blocked after the free attempts, cleared by a success', async () => {
    const throttle = createLoginThrottle({
      store: redisStore({ client, prefix: testPrefix('login'), ...frozenClock }),
      freeAttempts: 2,
      baseDelayMs: 60_000,
    });
    await throttle.fail('ada', '192.0.2.1');
    await throttle.fail('ada', '192.0.2.1');
    expect((await throttle.check('ada', '192.0.2.1')).allowed).toBe(true);
    const blocked = await throttle.fail('ada', '192.0.2.1');
    expect(blocked.allowed).toBe(false);
    expect(blocked.retryAfterMs).toBeGreaterThan(55_000);
    expect((await throttle.check('ADA', '192.0.2.1')).allowed).toBe(false);
    await throttle.succeed('ada', '192.0.2.1');
    expect((await throttle.check('ada', '192.0.2.1')).allowed).toBe(true);
  });

  it.each([
    ['fixed-window', 1],
    ['sliding-window', 2],
  ] as const)(
    'a %s key expires when its state is no longer needed, set by the first check of each window',
    async (algorithm, windows) => {
      const prefix = testPrefix(`ttl-${algorithm}`);
      const start = 1_700_000_040_000; // a multiple of the window
      let time = start + 1_000;
      const store = redisStore({ client, prefix, now: () => time });
      const check = { key: 'k', algorithm, limit: 10, windowMs: 60_000 };
      await store.consume([check]);
      const first = await client.pttl(`${prefix}k`);
      expect(first).toBeLessThanOrEqual(windows * 60_000 - 1_000);
      expect(first).toBeGreaterThan(windows * 60_000 - 11_000);
      // A later check of the same window keeps that expiry rather than pushing it out.
      time = start + 30_000;
      await store.consume([check]);
      const same = await client.pttl(`${prefix}k`);
      expect(same).toBeLessThanOrEqual(first);
      expect(same).toBeGreaterThan(windows * 60_000 - 11_000);
      // The first check of the next window sets the expiry of that window.
      time = start + 65_000;
      await store.consume([check]);
      const next = await client.pttl(`${prefix}k`);
      expect(next).toBeLessThanOrEqual(windows * 60_000 - 5_000);
      expect(next).toBeGreaterThan(windows * 60_000 - 15_000);
      await store.close();
    },
  );

  it('loads the script with EVAL when the server answers NOSCRIPT, then uses EVALSHA', async () => {
    const calls: string[] = [];
    let first = true;
    const wrapped = {
      evalsha: (...args: Parameters<Redis['evalsha']>) => {
        calls.push('evalsha');
        if (first) {
          first = false;
          return Promise.reject(new Error('NOSCRIPT No matching script. Please use EVAL.'));
        }
        return client.evalsha(...args);
      },
      eval: (...args: Parameters<Redis['eval']>) => {
        calls.push('eval');
        return client.eval(...args);
      },
      del: (...keys: string[]) => client.del(...keys),
    };
    const store = redisStore({ client: wrapped, prefix: testPrefix('noscript'), ...frozenClock });
    const [first1] = await store.consume([
      { key: 'k', algorithm: 'fixed-window', limit: 2, windowMs: 60_000 },
    ]);
    const [second] = await store.consume([
      { key: 'k', algorithm: 'fixed-window', limit: 2, windowMs: 60_000 },
    ]);
    expect(calls).toEqual(['evalsha', 'eval', 'evalsha']);
    expect([first1!.remaining, second!.remaining]).toEqual([1, 0]);
  });

  it('a server that does not answer (closed port) fails open or closed within the timeout, as chosen', async () => {
    const dead = new Redis('redis://127.0.0.1:1', {
      maxRetriesPerRequest: 1,
      retryStrategy: () => 200,
      lazyConnect: true,
    });
    dead.connect().catch(() => {});
    dead.on('error', () => {});
    try {
      const store = redisStore({ client: dead, timeoutMs: 300 });
      const errors: unknown[] = [];
      const open = createRateLimiter({
        store,
        policies,
        whenStoreFails: 'open',
        onStoreError: (error) => errors.push(error),
      });
      expect(await open.check(view)).toEqual({ allowed: true, headers: [] });
      expect((errors[0] as SecurityError).code).toBe('ERR_SECURITY_STORE_UNAVAILABLE');
      const closed = createRateLimiter({ store, policies, whenStoreFails: 'closed' });
      const decision = await closed.check(view);
      expect(decision.allowed).toBe(false);
      expect(decision.error).toMatchObject({ status: 503, code: 'RATE_LIMIT_UNAVAILABLE' });
    } finally {
      dead.disconnect();
    }
  });

  it('a client that disconnects mid-life fails as chosen, and counts again once reconnected', async () => {
    const own = new Redis(redisUrl, { maxRetriesPerRequest: 1, lazyConnect: true });
    own.on('error', () => {});
    await own.connect();
    const store = redisStore({
      client: own,
      prefix: testPrefix('disconnect'),
      timeoutMs: 300,
      ...frozenClock,
    });
    const closed = createRateLimiter({ store, policies, whenStoreFails: 'closed' });
    expect((await closed.check(view)).allowed).toBe(true);
    own.disconnect();
    expect((await closed.check(view)).error).toMatchObject({ status: 503 });
    const open = createRateLimiter({ store, policies, whenStoreFails: 'open' });
    expect(await open.check(view)).toEqual({ allowed: true, headers: [] });
    await own.connect();
    const again = await closed.check(view);
    expect(again.allowed).toBe(true);
    expect(Object.fromEntries(again.headers).ratelimit).toMatch(/^default;r=3;t=\d+$/);
    own.disconnect();
  });
});
