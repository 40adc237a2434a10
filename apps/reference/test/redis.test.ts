// With REDIS_URL the app keeps refresh tokens and rate limits in Redis (src/redis.ts), so every
// instance shares them: two apps on one Redis see one token family and one limit. Skipped with a
// notice when no Redis answers; under CI=true that fails, naming the server.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectRedis, type RedisStores } from '../src/redis.js';
import { testApp } from './support/app.js';
import { pgliteDatabase, type TestDatabase } from './support/databases.js';

const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

async function redisOrSkip(prefix: string): Promise<RedisStores | undefined> {
  try {
    return await connectRedis(redisUrl, prefix);
  } catch (error) {
    if (process.env.CI === 'true') throw error;
    console.warn(`skipping the Redis runs of apps/reference: ${(error as Error).message}`);
    return undefined;
  }
}

describe('the app on Redis stores', () => {
  let database: TestDatabase;
  let redis: RedisStores | undefined;
  // A prefix of this run's own, so parallel runs and other files never share keys.
  const prefix = `plinth-reference-test:${process.pid}:${randomBytes(4).toString('hex')}:`;
  beforeAll(async () => {
    redis = await redisOrSkip(prefix);
    if (redis) database = await pgliteDatabase();
  });
  afterAll(async () => {
    await database?.drop();
    await redis?.close();
  });

  // Each test its own key prefix (and connection, closed after the file), so counts never carry over.
  const opened: RedisStores[] = [];
  afterAll(() => Promise.all(opened.map((stores) => stores.close())));
  const twoInstances = async (loginRateLimit: number) => {
    const stores = await connectRedis(redisUrl, `${prefix}${opened.length}:`);
    opened.push(stores);
    const edge = { loginRateLimit, rateLimitStore: stores.rateLimitStore };
    const auth = { tokenStore: stores.tokenStore };
    return [await testApp(database.db, edge, {}, auth), await testApp(database.db, edge, {}, auth)] as const;
  };
  const login = {
    method: 'POST',
    url: '/auth/login',
    json: { email: 'member@example.com', password: 'plinth-demo' },
  };

  it('rotates a refresh token on one instance and detects its reuse on the other', async ({ skip }) => {
    if (!redis) return skip();
    const [a, b] = await twoInstances(100);
    const { refreshToken } = await a.login('member@example.com');
    const rotated = await b.request({ method: 'POST', url: '/auth/refresh', json: { refreshToken } });
    expect(rotated.status).toBe(200);
    const { refreshToken: next } = (await rotated.json()) as { refreshToken: string };
    const reused = await a.request({ method: 'POST', url: '/auth/refresh', json: { refreshToken } });
    expect(reused.status).toBe(401);
    expect(await reused.json()).toMatchObject({ code: 'REFRESH_TOKEN_REUSED' });
    expect(
      (await b.request({ method: 'POST', url: '/auth/refresh', json: { refreshToken: next } })).status,
    ).toBe(401);
  });

  it('counts one login limit across instances', async ({ skip }) => {
    if (!redis) return skip();
    const [a, b] = await twoInstances(3);
    const statuses = [];
    for (const app of [a, b, a, b]) statuses.push((await app.request(login)).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
  });
});
