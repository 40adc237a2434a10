export { type RedisClient, type RedisStoreOptions, redisStore } from './drivers/redis.js';
