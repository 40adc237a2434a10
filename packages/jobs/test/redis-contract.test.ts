// The Redis driver against the QueueDriver contract, on a real Redis with a key prefix of its own.
import type { Redis } from 'ioredis';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { redisDriver } from '../src/drivers/redis.js';
import { runDriverContract } from '../src/testing.js';
import { dropPrefix, redisClient, redisUp, testPrefix } from './support/servers.js';

describe.skipIf(!redisUp)('redis', () => {
  const client = redisUp ? redisClient() : (undefined as unknown as Redis);
  const prefix = testPrefix('contract');
  afterAll(async () => {
    await dropPrefix(client, prefix);
    await client?.quit();
  });
  runDriverContract({ describe, it, expect, afterEach }, 'redis', {
    create: ({ now }) => redisDriver({ client, prefix, now }),
  });
});
