// The Redis Broker: PUBLISH on the user's client, SUBSCRIBE on one duplicate() of it, so many
// instances share channels. Redis pub/sub is itself at-most-once and ordered per connection.
import type { Broker, BrokerListener } from '../broker.js';
import { deliver } from '../broker.js';
import { assertChannel, RealtimeError } from '../errors.js';

/** The part of an ioredis subscriber connection the broker uses. */
export interface RedisSubscriber {
  subscribe(...channels: string[]): Promise<unknown>;
  unsubscribe(...channels: string[]): Promise<unknown>;
  on(event: 'message', listener: (channel: string, message: string) => void): unknown;
  quit(): Promise<unknown>;
}

/** The part of an ioredis client the broker uses: `publish`, and `duplicate` for the subscriber. */
export interface RedisPublisher {
  publish(channel: string, message: string): Promise<unknown>;
  duplicate(): RedisSubscriber;
}

/** Options of {@link redisBroker}. */
export interface RedisBrokerOptions {
  /** Your ioredis client. The broker publishes on it and subscribes on one `duplicate()` it closes itself. */
  client: RedisPublisher;
  /** Prepended to every channel name, so apps sharing a Redis stay apart. Default `plinth:rt:`. */
  prefix?: string;
  /** Called when a listener throws; defaults to `console.error`. */
  onError?: (error: unknown) => void;
}

/**
 * A Broker on Redis pub/sub: a message published on one instance reaches subscribers on all of them.
 *
 * @example
 * import { Redis } from 'ioredis';
 * const broker = redisBroker({ client: new Redis(process.env.REDIS_URL) });
 */
export function redisBroker(options: RedisBrokerOptions): Broker {
  if (typeof options?.client?.publish !== 'function' || typeof options.client.duplicate !== 'function') {
    throw new RealtimeError(
      'ERR_REALTIME_INVALID_OPTION',
      'redisBroker needs { client }: an ioredis client (it must have publish() and duplicate()).',
    );
  }
  const { client } = options;
  const prefix = options.prefix ?? 'plinth:rt:';
  const onError = options.onError ?? ((error: unknown) => console.error('[realtime] listener failed', error));
  const channels = new Map<string, Set<BrokerListener>>();
  let subscriber: RedisSubscriber | undefined;
  let closed = false;

  const connection = (): RedisSubscriber => {
    if (subscriber) return subscriber;
    subscriber = client.duplicate();
    subscriber.on('message', (full, message) => {
      const channel = full.slice(prefix.length);
      const listeners = channels.get(channel);
      if (listeners) deliver([...listeners], message, channel, onError);
    });
    return subscriber;
  };
  const open = () => {
    if (closed)
      throw new RealtimeError('ERR_REALTIME_CLOSED', 'This Redis broker is closed; create a new one.');
  };
  const wrap = (action: string, error: unknown) =>
    new RealtimeError(
      'ERR_REALTIME_BROKER',
      `Redis ${action} failed (${(error as Error)?.message ?? String(error)}); check that Redis answers at the client's address.`,
      { cause: error },
    );

  return {
    name: 'redis',
    async publish(channel, message) {
      open();
      assertChannel(channel);
      try {
        await client.publish(prefix + channel, message);
      } catch (error) {
        throw wrap('PUBLISH', error);
      }
    },
    async subscribe(channel, listener) {
      open();
      assertChannel(channel);
      const entry: BrokerListener = (message, name) => listener(message, name);
      let set = channels.get(channel);
      if (!set) {
        set = new Set();
        channels.set(channel, set);
      }
      set.add(entry);
      try {
        // SUBSCRIBE replies once the subscription is active; ioredis resolves then (so always await it,
        // even when another listener already subscribed: that reply may still be in flight).
        await connection().subscribe(prefix + channel);
      } catch (error) {
        set.delete(entry);
        throw wrap('SUBSCRIBE', error);
      }
      return async () => {
        if (!set.delete(entry) || set.size > 0 || channels.get(channel) !== set) return;
        channels.delete(channel);
        if (!closed) await subscriber?.unsubscribe(prefix + channel).catch(() => undefined);
      };
    },
    async close() {
      if (closed) return;
      closed = true;
      channels.clear();
      await subscriber?.quit().catch(() => undefined);
    },
  };
}
