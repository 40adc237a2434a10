// The Redis presence store: one sorted set per channel, member "<instance>\n<member>", score = expiry
// time in ms; ZREM's count tells exactly one instance that it removed an entry.
import { RealtimeError } from '../errors.js';
import type { PresenceStore } from '../presence.js';

/** The part of an ioredis client the presence store uses. */
export interface RedisPresenceClient {
  zadd(key: string, ...args: Array<string | number>): Promise<unknown>;
  zrem(key: string, ...members: string[]): Promise<number>;
  zrangebyscore(key: string, min: string | number, max: string | number): Promise<string[]>;
  sadd(key: string, ...members: string[]): Promise<unknown>;
  smembers(key: string): Promise<string[]>;
}

/** Options of {@link redisPresenceStore}. */
export interface RedisPresenceOptions {
  client: RedisPresenceClient;
  /** Key prefix. Default `plinth:presence:`. */
  prefix?: string;
}

const memberOf = (entry: string) => entry.slice(entry.indexOf('\n') + 1);

/** A presence store in Redis, shared by every instance. */
export function redisPresenceStore(options: RedisPresenceOptions): PresenceStore {
  if (typeof options?.client?.zadd !== 'function') {
    throw new RealtimeError(
      'ERR_REALTIME_INVALID_OPTION',
      'redisPresenceStore needs { client }: an ioredis client.',
    );
  }
  const { client } = options;
  const prefix = options.prefix ?? 'plinth:presence:';
  const index = `${prefix}channels`;
  const members = async (channel: string, min: number | string) =>
    new Set((await client.zrangebyscore(prefix + channel, min, '+inf')).map(memberOf));
  return {
    name: 'redis',
    async add(channel, entries, expiresAt) {
      const before = await members(channel, '-inf');
      await client.sadd(index, channel);
      await client.zadd(
        prefix + channel,
        ...entries.flatMap((entry) => [expiresAt, `${entry.instance}\n${entry.member}`]),
      );
      return [...new Set(entries.map((entry) => entry.member))].filter((member) => !before.has(member));
    },
    async remove(channel, member, instance) {
      return (await client.zrem(prefix + channel, `${instance}\n${member}`)) === 1;
    },
    async expire(channel, now) {
      const expired = await client.zrangebyscore(prefix + channel, '-inf', now);
      const gone: string[] = [];
      for (const entry of expired)
        if ((await client.zrem(prefix + channel, entry)) === 1) gone.push(memberOf(entry));
      return gone;
    },
    async members(channel, now) {
      return [...(await members(channel, `(${now}`))].sort();
    },
    channels() {
      return client.smembers(index);
    },
    async close() {},
  };
}
