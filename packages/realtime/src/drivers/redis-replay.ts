// The Redis Streams replay buffer: one stream per channel, trimmed to about `size` entries; the
// stream ids are the event ids, so resume works across instances and restarts.
import { assertNumber, InvalidLastEventIdError, RealtimeError } from '../errors.js';
import type { ReplayBuffer, StoredEvent } from '../replay-buffer.js';

/** The part of an ioredis client the replay buffer uses. */
export interface RedisStreamClient {
  xadd(key: string, ...args: Array<string | number>): Promise<string | null>;
  xrange(key: string, start: string, end: string): Promise<Array<[string, string[]]>>;
}

/** Options of {@link redisReplayBuffer}. */
export interface RedisReplayOptions {
  /** Your ioredis client (the buffer opens no connection of its own). */
  client: RedisStreamClient;
  /** Key prefix of the streams. Default `plinth:sse:`. */
  prefix?: string;
  /** Approximate events kept per channel (`XADD MAXLEN ~`). Default 1000. */
  size?: number;
}

const streamId = /^\d{1,20}-\d{1,20}$/;

function toEvent([id, fields]: [string, string[]]): StoredEvent {
  let event: string | undefined;
  let data = '';
  for (let index = 0; index + 1 < fields.length; index += 2) {
    if (fields[index] === 'e') event = fields[index + 1];
    else if (fields[index] === 'd') data = fields[index + 1] ?? '';
  }
  return { id, event, data };
}

/**
 * Keeps recent events of each channel in a Redis Stream, shared by every instance.
 *
 * @example
 * const hub = createEventHub({ broker, replay: redisReplayBuffer({ client: redis }) });
 */
export function redisReplayBuffer(options: RedisReplayOptions): ReplayBuffer {
  if (typeof options?.client?.xadd !== 'function') {
    throw new RealtimeError(
      'ERR_REALTIME_INVALID_OPTION',
      'redisReplayBuffer needs { client }: an ioredis client.',
    );
  }
  const { client } = options;
  const prefix = options.prefix ?? 'plinth:sse:';
  const size = options.size ?? 1000;
  assertNumber('size', size, 1);
  return {
    name: 'redis',
    async append(channel, event) {
      const fields = event.event === undefined ? ['d', event.data] : ['e', event.event, 'd', event.data];
      const id = await client.xadd(prefix + channel, 'MAXLEN', '~', size, '*', ...fields);
      if (id === null)
        throw new RealtimeError('ERR_REALTIME_BROKER', 'Redis did not store the event (XADD returned nil).');
      return { id, event: event.event, data: event.data };
    },
    async since(channel, lastId) {
      if (!streamId.test(lastId))
        throw new InvalidLastEventIdError(lastId, 'a Redis stream id like 1700000000000-0');
      const key = prefix + channel;
      // The exclusive range "(id" needs Redis 6.2.
      const [events, self] = await Promise.all([
        client.xrange(key, `(${lastId}`, '+'),
        client.xrange(key, lastId, lastId),
      ]);
      // The id itself still in the stream proves nothing after it was trimmed.
      return { events: events.map(toEvent), complete: self.length === 1 };
    },
    async close() {},
  };
}
