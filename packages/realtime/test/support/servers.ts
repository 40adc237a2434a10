// Redis for the tests: REDIS_URL with a local default. Locally a Redis that does not answer skips its
// suites with a notice; under CI=true that fails, naming the server.
import { connect } from 'node:net';
import { Redis } from 'ioredis';

export const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

async function reachable(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  const ok = await new Promise<boolean>((resolve) => {
    const socket = connect({ host: hostname, port: Number(port || 6379), timeout: 1000 });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
  if (!ok) {
    if (process.env.CI === 'true')
      throw new Error(`Redis does not answer at ${url}; CI needs it for @plinth/realtime tests.`);
    console.warn(`[realtime tests] Redis does not answer at ${url}: its suites are skipped.`);
  }
  return ok;
}

export const redisUp = await reachable(redisUrl);

/** A client that gives up quickly, so a test against a dead server fails fast. */
export function redisClient(): Redis {
  return new Redis(redisUrl, { maxRetriesPerRequest: 3 });
}

/** A key/channel prefix no other test file or run shares. */
export function testPrefix(file: string): string {
  return `plinth-realtime-test:${file}:${process.pid}:${Date.now()}:`;
}

/** Deletes every key under a test prefix. */
export async function dropPrefix(client: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) await client.del(...keys);
  } while (cursor !== '0');
}
