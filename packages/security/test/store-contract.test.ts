// The one RateLimitStore contract suite, run against the memory and the Redis driver.
import { afterAll } from 'vitest';
import { memoryStore } from '../src/drivers/memory.js';
import { redisStore } from '../src/drivers/redis.js';
import { runStoreContract } from '../src/testing.js';
import { redisClient, redisUp } from './support/redis.js';

runStoreContract('memory', { create: ({ now }) => memoryStore({ now }) });

if (redisUp) {
  const client = redisClient();
  afterAll(() => client.quit());
  runStoreContract('redis', { create: ({ now, prefix }) => redisStore({ client, now, prefix: `plinth-security-test:${prefix}` }) });
}
