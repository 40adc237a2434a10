// Redis and PostgreSQL for the tests: REDIS_URL / DATABASE_URL with local defaults. Locally a server
// that does not answer skips its suites with a notice; under CI=true that fails, naming the server.
import { connect } from 'node:net';
import { Redis } from 'ioredis';
import postgres from 'postgres';

export const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
export const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

async function reachable(url: string, name: string, defaultPort: number): Promise<boolean> {
  const { hostname, port } = new URL(url);
  const ok = await new Promise<boolean>((resolve) => {
    const socket = connect({ host: hostname, port: Number(port || defaultPort), timeout: 1000 });
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
      throw new Error(`${name} does not answer at ${url}; CI needs it for @plinth/jobs tests.`);
    console.warn(`[jobs tests] ${name} does not answer at ${url}: its suites are skipped.`);
  }
  return ok;
}

export const redisUp = await reachable(redisUrl, 'Redis', 6379);
export const postgresUp = await reachable(databaseUrl, 'PostgreSQL', 5432);

/** A client that gives up quickly, so a test against a dead server fails fast. */
export function redisClient(url = redisUrl): Redis {
  return new Redis(url, { maxRetriesPerRequest: 3 });
}

/** A key prefix no other test file or run shares. */
export function testPrefix(file: string): string {
  return `plinth-jobs-test:${file}:${process.pid}:${Date.now()}:`;
}

/** A connection pool for one test file, with its own schema name. */
export function postgresClient(max = 10) {
  return postgres(databaseUrl, { max, onnotice: () => undefined });
}

/** A schema name no other test file or run shares. */
export function testSchema(file: string): string {
  return `jobs_test_${file}_${process.pid}_${Date.now()}`.replace(/[^a-z0-9_]/g, '_');
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
