// Redis at REDIS_URL (default redis://127.0.0.1:6379): skipped with a notice locally when it does not
// answer, a failure naming it under CI=true.
import { Redis } from 'ioredis';

export const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A connected client, or undefined (with a notice) when Redis is down outside CI. */
export async function connectRedis(): Promise<Redis | undefined> {
  const client = new Redis(redisUrl, {
    lazyConnect: true,
    maxRetriesPerRequest: 1,
    connectTimeout: 2_000,
    retryStrategy: () => null,
  });
  try {
    await client.connect();
    await client.ping();
    return client;
  } catch (error) {
    client.disconnect();
    if (process.env.CI === 'true')
      throw new Error(`Redis at ${redisUrl} does not answer (CI=true requires it): ${String(error)}`);
    console.warn(`[auth] Redis at ${redisUrl} does not answer: skipping the Redis cases.`);
    return undefined;
  }
}
