// The one RateLimitStore contract suite, run against the memory and the Redis driver.
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { memoryStore } from '../src/drivers/memory.js';
import { redisStore } from '../src/drivers/redis.js';
import { runStoreContract } from '../src/testing.js';
import { redisClient, redisUp } from './support/redis.js';

runStoreContract({ describe, it, expect, afterEach }, 'memory', {
  create: ({ now }) => memoryStore({ now }),
});

if (redisUp) {
  const client = redisClient();
  afterAll(() => client.quit());
  runStoreContract({ describe, it, expect, afterEach }, 'redis', {
    create: ({ now, prefix }) => redisStore({ client, now, prefix: `plinth-security-test:${prefix}` }),
  });
}
