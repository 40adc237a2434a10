// @plinth/realtime/redis: the drivers that need ioredis (an optional peer; pass your own client).
export {
  type RedisBrokerOptions,
  type RedisPublisher,
  type RedisSubscriber,
  redisBroker,
} from './drivers/redis.js';
export {
  type RedisPresenceClient,
  type RedisPresenceOptions,
  redisPresenceStore,
} from './drivers/redis-presence.js';
export {
  type RedisReplayOptions,
  type RedisStreamClient,
  redisReplayBuffer,
} from './drivers/redis-replay.js';
