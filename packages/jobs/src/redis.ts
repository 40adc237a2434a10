// @plinth/jobs/redis: the Redis QueueDriver (ioredis is an optional peer, imported by you).
export {
  type RedisClient,
  type RedisDriverOptions,
  type RedisSubscriber,
  redisDriver,
} from './drivers/redis.js';
