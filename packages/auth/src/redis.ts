export { type RedisEvalClient, type RedisTokenStoreOptions, redisTokenStore } from './drivers/redis.js';
