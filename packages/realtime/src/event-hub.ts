// SSE channels: publish stores an event in the replay buffer (which gives it its id) and fans it out
// through the Broker; a stream follows a channel from a Last-Event-ID without gap or duplicate.
import type { Broker } from './broker.js';
import { memoryBroker } from './drivers/memory.js';
import { memoryReplayBuffer } from './drivers/memory-replay.js';
import { assertChannel } from './errors.js';
import type { ReplayBuffer, StoredEvent } from './replay-buffer.js';

/** Options of {@link createEventHub}. */
export interface EventHubOptions {
  /** Fans events out across instances. Default: a memory broker (one instance). */
  broker?: Broker;
  /** Keeps events for resume. Default: memoryReplayBuffer() (1000 per channel). */
  replay?: ReplayBuffer;
  /** Prefix of the hub's channels on the Broker. Default `sse:`. */
  channelPrefix?: string;
}

/** A channel followed from some point: what was missed, then live events. */
export interface ChannelFollow {
  /** Retained events after the Last-Event-ID, oldest first (empty without one). */
  readonly backlog: StoredEvent[];
  /** False when events after the Last-Event-ID were trimmed away or are unknown. */
  readonly complete: boolean;
  /** Starts live delivery: events that arrived while the backlog was read come first, without duplicates. */
  start(listener: (event: StoredEvent) => void): void;
  /** Ends the subscription. */
  stop(): Promise<void>;
}

/** Server-Sent Event channels with ids and resume. */
export interface EventHub {
  /** Stores `event` (its id comes from the replay buffer) and sends it to every stream following `channel`. */
  publish(channel: string, event: { event?: string; data: unknown }): Promise<StoredEvent>;
  /** Follows `channel` from `lastEventId`; throws InvalidLastEventIdError for a malformed one. */
  follow(channel: string, lastEventId?: string): Promise<ChannelFollow>;
  /** Closes the broker and replay buffer when the hub created them. */
  close(): Promise<void>;
}

/**
 * Creates SSE channels over a Broker and a replay buffer.
 *
 * @example
 * const hub = createEventHub({ broker: redisBroker({ client }), replay: redisReplayBuffer({ client }) });
 * await hub.publish('team:7', { event: 'task', data: { id: 42 } });
 */
export function createEventHub(options: EventHubOptions = {}): EventHub {
  const broker = options.broker ?? memoryBroker();
  const replay = options.replay ?? memoryReplayBuffer();
  const prefix = options.channelPrefix ?? 'sse:';
  return {
    async publish(channel, event) {
      assertChannel(channel);
      const data = typeof event.data === 'string' ? event.data : JSON.stringify(event.data);
      const stored = await replay.append(channel, { event: event.event, data });
      await broker.publish(prefix + channel, JSON.stringify(stored));
      return stored;
    },
    async follow(channel, lastEventId) {
      assertChannel(channel);
      let pending: StoredEvent[] | undefined = [];
      let listener: ((event: StoredEvent) => void) | undefined;
      // Subscribe before reading the backlog, so nothing published in between is lost.
      const unsubscribe = await broker.subscribe(prefix + channel, (message) => {
        const event = JSON.parse(message) as StoredEvent;
        if (pending) pending.push(event);
        else listener?.(event);
      });
      let found: { events: StoredEvent[]; complete: boolean };
      try {
        found =
          lastEventId === undefined
            ? { events: [], complete: true }
            : await replay.since(channel, lastEventId);
      } catch (error) {
        await unsubscribe();
        throw error;
      }
      const seen = new Set(found.events.map((event) => event.id));
      return {
        backlog: found.events,
        complete: found.complete,
        start(next) {
          listener = next;
          const queued = pending ?? [];
          pending = undefined;
          for (const event of queued) if (!seen.has(event.id)) next(event);
        },
        stop: unsubscribe,
      };
    },
    async close() {
      if (!options.broker) await broker.close();
      if (!options.replay) await replay.close();
    },
  };
}
