// The one Redis connection of a web process, when REDIS_URL is set: refresh tokens (@plinth/auth) and
// rate limits (@plinth/security) live there, so several instances share them. Unset: memory stores.
import type { TokenStore } from '@plinth/auth';
import { redisTokenStore } from '@plinth/auth/redis';
import type { Check } from '@plinth/deploy';
import { redisCheck } from '@plinth/deploy';
import type { RateLimitStore } from '@plinth/security';
import { redisStore } from '@plinth/security/redis';
import { Redis } from 'ioredis';

/** The stores built on Redis, its readiness check, and how to close the connection. */
export interface RedisStores {
  tokenStore: TokenStore;
  rateLimitStore: RateLimitStore;
  check: Check;
  close(): Promise<void>;
}

/** Connects (failing within 5 s, saying where) and builds the stores under `prefix`. */
export async function connectRedis(url: string, prefix: string): Promise<RedisStores> {
  const client = new Redis(url, { lazyConnect: true, connectTimeout: 5_000, maxRetriesPerRequest: 2 });
  try {
    await client.connect();
  } catch (error) {
    client.disconnect();
    const where = new URL(url);
    throw new Error(
      `Redis at ${where.host} does not answer (${(error as Error).message}); check REDIS_URL.`,
      {
        cause: error,
      },
    );
  }
  return {
    tokenStore: redisTokenStore({ client, prefix: `${prefix}auth:` }),
    rateLimitStore: redisStore({ client, prefix: `${prefix}rl:` }),
    check: redisCheck(client, { name: 'redis' }),
    close: async () => {
      await client.quit().catch(() => client.disconnect());
    },
  };
}
