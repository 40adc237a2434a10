// Redis going away: the broker and the replay buffer fail with a typed error that names the fix,
// and the memory defaults keep working.
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { redisBroker } from '../src/redis.js';

describe('a Redis that does not answer', () => {
  // Port 1 refuses at once; no retries and no offline queue, so each command fails fast.
  const client = new Redis('redis://127.0.0.1:1', {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  client.on('error', () => undefined);
  afterAll(() => client.disconnect());

  it('rejects publish with ERR_REALTIME_BROKER saying what to check', async () => {
    const broker = redisBroker({ client });
    await expect(broker.publish('news', 'x')).rejects.toMatchObject({
      code: 'ERR_REALTIME_BROKER',
      message: expect.stringContaining('check that Redis answers'),
    });
    await broker.close();
  });

  it('refuses a client that is not an ioredis client, at creation', () => {
    expect(() => redisBroker({ client: {} as never })).toThrow(
      expect.objectContaining({ code: 'ERR_REALTIME_INVALID_OPTION' }),
    );
  });
});
