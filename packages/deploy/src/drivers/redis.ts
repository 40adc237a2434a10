// A ready-made check for Redis through ioredis (or any client with `ping()`); the client is passed in.
import type { Check, DependencyCheckOptions } from '../check.js';
import { datastoreCheck } from './datastore.js';

/** The part of an ioredis client this check uses. */
export interface RedisPing {
  ping(): PromiseLike<string>;
}

/**
 * A readiness check that sends `PING` and expects `PONG`. An ioredis client that is reconnecting
 * queues the command, so the check fails by its timeout rather than hanging the probe.
 *
 * @example
 * health.add(redisCheck(new Redis(process.env.REDIS_URL)));
 */
export function redisCheck(client: RedisPing, options: DependencyCheckOptions = {}): Check {
  return datastoreCheck('redis', options, async () => {
    const reply = await client.ping();
    if (reply !== 'PONG') throw new Error(`PING answered ${JSON.stringify(reply)} instead of "PONG"`);
  });
}
