// The TokenStore contract against each driver: memory, and Redis at REDIS_URL under its own key prefix.
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryTokenStore } from '../src/drivers/memory.js';
import { redisTokenStore } from '../src/drivers/redis.js';
import { runTokenStoreContract } from '../src/testing.js';
import { connectRedis } from './support/redis.js';

const runner = { describe, it, expect, afterAll };

runTokenStoreContract('memory', { runner, create: () => memoryTokenStore() });

const client = await connectRedis();
if (client) {
  runTokenStoreContract('redis', {
    runner,
    create: ({ prefix }) => redisTokenStore({ client, prefix: `plinth-auth-test:${prefix}` }),
  });
  afterAll(async () => {
    const keys = await (client as Redis).keys('plinth-auth-test:*');
    if (keys.length > 0) await (client as Redis).del(...keys);
    client.disconnect();
  });
} else {
  describe('TokenStore contract: redis', () => {
    beforeAll(() => undefined);
    it.skip('Redis does not answer at REDIS_URL (see the notice above)', () => undefined);
  });
}
