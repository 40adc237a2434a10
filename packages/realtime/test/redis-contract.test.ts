// The Redis broker against the Broker contract, on a real Redis with a channel prefix of its own.
import type { Redis } from 'ioredis';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { redisBroker } from '../src/redis.js';
import { runBrokerContract } from '../src/testing.js';
import { redisClient, redisUp, testPrefix } from './support/servers.js';

describe.skipIf(!redisUp)('redis', () => {
  const clients: Redis[] = [];
  const prefix = testPrefix('contract');
  afterAll(async () => {
    await Promise.all(clients.map((client) => client.quit()));
  });
  runBrokerContract({ describe, it, expect, afterEach }, 'redis', {
    create: () => {
      const client = redisClient();
      clients.push(client);
      return redisBroker({ client, prefix });
    },
  });
});
