// Redis for the live tests: is it there (under CI=true a missing one fails loudly), and a key prefix
// of the test's own that is deleted afterwards.
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';

export const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** True when Redis answers PING at `redisUrl`; under CI=true a silent Redis throws, naming it. */
export async function requireRedis(file: string): Promise<boolean> {
  const client = new Redis(redisUrl, {
    lazyConnect: true,
    connectTimeout: 3000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  client.on('error', () => undefined); // the connect() rejection below says it
  try {
    await client.connect();
    await client.ping();
    return true;
  } catch (error) {
    const message = `${file}: Redis at ${redisUrl} does not answer (${(error as Error).message}); start redis-server or set REDIS_URL`;
    if (process.env.CI === 'true') throw new Error(message);
    console.warn(`${message}. Skipped (under CI=true this fails).`);
    return false;
  } finally {
    client.disconnect();
  }
}

/** A fresh key prefix, and the function that deletes every key under it (in the database of `url`). */
export function redisPrefix(name: string, url = redisUrl): { prefix: string; drop(): Promise<void> } {
  const prefix = `test:reference:${name}:${randomBytes(4).toString('hex')}:`;
  return {
    prefix,
    async drop() {
      const client = new Redis(url, { maxRetriesPerRequest: 1 });
      try {
        let cursor = '0';
        do {
          const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
          cursor = next;
          if (keys.length > 0) await client.del(...keys);
        } while (cursor !== '0');
      } finally {
        await client.quit();
      }
    },
  };
}
