// The Redis TokenStore (ioredis, an optional peer; you pass the client). Each method is one Lua script:
// one round trip, atomic, so two instances consuming the same token cannot both see it 'active'.
import type { ConsumeResult, TokenStore } from '../store.js';

/** The part of an ioredis client this driver calls. */
export interface RedisEvalClient {
  eval(script: string, numberOfKeys: number, ...args: Array<string | number>): Promise<unknown>;
}

/** Options of `redisTokenStore`. */
export interface RedisTokenStoreOptions {
  /** Your ioredis client (never closed by this store). */
  client: RedisEvalClient;
  /** Key prefix. Default "plinth:auth:". */
  prefix?: string;
}

// KEYS: token, family set, user set. ARGV: userId, family, expiresAt, hash.
const saveScript = `
redis.call('HSET', KEYS[1], 'u', ARGV[1], 'f', ARGV[2], 'e', ARGV[3], 'used', '0')
redis.call('PEXPIREAT', KEYS[1], ARGV[3])
redis.call('SADD', KEYS[2], ARGV[4])
redis.call('PEXPIREAT', KEYS[2], ARGV[3], 'GT')
if redis.call('PTTL', KEYS[2]) < 0 then redis.call('PEXPIREAT', KEYS[2], ARGV[3]) end
redis.call('SADD', KEYS[3], ARGV[2])
redis.call('PEXPIREAT', KEYS[3], ARGV[3], 'GT')
if redis.call('PTTL', KEYS[3]) < 0 then redis.call('PEXPIREAT', KEYS[3], ARGV[3]) end
return 1`;

// KEYS: token. ARGV: now.
const consumeScript = `
local v = redis.call('HMGET', KEYS[1], 'u', 'f', 'e', 'used')
if not v[1] or tonumber(v[3]) <= tonumber(ARGV[1]) then return false end
if v[4] == '1' then return {'reused', v[1], v[2], v[3]} end
redis.call('HSET', KEYS[1], 'used', '1')
return {'active', v[1], v[2], v[3]}`;

// KEYS: family set. ARGV: token key prefix.
const revokeFamilyScript = `
for _, hash in ipairs(redis.call('SMEMBERS', KEYS[1])) do redis.call('DEL', ARGV[1] .. hash) end
redis.call('DEL', KEYS[1])
return 1`;

// KEYS: user set. ARGV: family key prefix, token key prefix.
const revokeUserScript = `
for _, family in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  for _, hash in ipairs(redis.call('SMEMBERS', ARGV[1] .. family)) do redis.call('DEL', ARGV[2] .. hash) end
  redis.call('DEL', ARGV[1] .. family)
end
redis.call('DEL', KEYS[1])
return 1`;

/**
 * A TokenStore on Redis, shared by every instance of your app.
 *
 * @example
 * import Redis from 'ioredis';
 * const store = redisTokenStore({ client: new Redis(process.env.REDIS_URL) });
 */
export function redisTokenStore(options: RedisTokenStoreOptions): TokenStore {
  const { client } = options;
  const prefix = options.prefix ?? 'plinth:auth:';
  const tokenKey = `${prefix}rt:`;
  const familyKey = `${prefix}rf:`;
  const userKey = `${prefix}ru:`;
  return {
    name: 'redis',
    async save(hash, record) {
      await client.eval(
        saveScript,
        3,
        tokenKey + hash,
        familyKey + record.family,
        userKey + record.userId,
        record.userId,
        record.family,
        record.expiresAt,
        hash,
      );
    },
    async consume(hash, now): Promise<ConsumeResult | undefined> {
      const found = (await client.eval(consumeScript, 1, tokenKey + hash, now)) as
        | [string, string, string, string]
        | null;
      if (!found) return undefined;
      const [status, userId, family, expiresAt] = found;
      return {
        status: status as ConsumeResult['status'],
        record: { userId, family, expiresAt: Number(expiresAt) },
      };
    },
    async revokeFamily(family) {
      await client.eval(revokeFamilyScript, 1, familyKey + family, tokenKey);
    },
    async revokeUser(userId) {
      await client.eval(revokeUserScript, 1, userKey + userId, familyKey, tokenKey);
    },
    async close() {
      // The client is yours: nothing of ours to release.
    },
  };
}
