// Redis for the tests: REDIS_URL (default redis://127.0.0.1:6379), a key prefix of their own, a skip
// notice locally when it does not answer and a failure naming it under CI=true.
import { Redis } from 'ioredis';
import { reachable } from './reachable.js';

export const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
export const redisUp = await reachable(redisUrl, 'Redis');

/** A client that gives up quickly, so a test against a dead server fails fast. */
export function redisClient(url = redisUrl): Redis {
  return new Redis(url, { maxRetriesPerRequest: 1, lazyConnect: false, enableOfflineQueue: true });
}

/** A prefix no other run shares. */
export function testPrefix(name: string): string {
  return `plinth-security-test:${name}:${process.pid}:${Date.now()}:`;
}
