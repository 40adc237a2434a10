// The live module's transports from the environment: memory in one process, Redis pub/sub and
// Redis Streams (resume on any instance) when REDIS_URL is set.

import type { Logger } from '@plinth/observability';
import { type Broker, memoryBroker, memoryReplayBuffer, type ReplayBuffer } from '@plinth/realtime';
import { redisBroker, redisReplayBuffer } from '@plinth/realtime/redis';
import { Redis } from 'ioredis';

/** The broker and replay buffer createLive takes, and what closes the connection they share. */
export interface LiveDrivers {
  readonly broker: Broker;
  readonly replay: ReplayBuffer;
  close(): Promise<void>;
}

/** Options of {@link createLiveDrivers}. */
export interface LiveDriversOptions {
  /** Redis for many instances; unset: memory, one instance. */
  readonly redisUrl?: string | undefined;
  /** Key and channel prefix in Redis (tests use their own). Default `plinth:reference:live:`. */
  readonly prefix?: string;
  /** Events kept per team for resume. Default 1000. */
  readonly replaySize?: number;
  /** Where Redis connection errors go (ioredis reconnects by itself). Default: ignored. */
  readonly logger?: Pick<Logger, 'warn'>;
}

/**
 * Memory drivers, or Redis ones sharing one connection (the broker subscribes on a duplicate it owns).
 *
 * @example
 * const drivers = createLiveDrivers({ redisUrl: process.env.REDIS_URL });
 * const live = createLive({ ...drivers, queue, authenticate, canReadTeam, logger });
 */
export function createLiveDrivers(options: LiveDriversOptions = {}): LiveDrivers {
  const size = options.replaySize ?? 1000;
  if (!options.redisUrl) return driversOf(memoryBroker(), memoryReplayBuffer({ size }));
  const prefix = options.prefix ?? 'plinth:reference:live:';
  const client = new Redis(options.redisUrl, { maxRetriesPerRequest: 3 });
  // Without a listener ioredis prints every failed reconnect; publishes still reject, so the relay retries.
  client.on('error', (error) =>
    options.logger?.warn({ err: error }, 'live: Redis connection failed; reconnecting'),
  );
  return driversOf(
    redisBroker({ client, prefix: `${prefix}rt:` }),
    redisReplayBuffer({ client, prefix: `${prefix}sse:`, size }),
    client,
  );
}

/** The drivers, closed in order: the broker (its own subscriber connection), the buffer, the client. */
function driversOf(broker: Broker, replay: ReplayBuffer, client?: Redis): LiveDrivers {
  return {
    broker,
    replay,
    async close() {
      await broker.close();
      await replay.close();
      await client?.quit().catch(() => client.disconnect());
    },
  };
}
