// The in-process replay buffer: a bounded list per channel with numeric ids.
import { assertNumber, InvalidLastEventIdError, RealtimeError } from '../errors.js';
import type { ReplayBuffer, StoredEvent } from '../replay-buffer.js';

/** Options of {@link memoryReplayBuffer}. */
export interface MemoryReplayOptions {
  /** Events kept per channel. Default 1000. */
  size?: number;
}

/**
 * Keeps the last `size` events of each channel in memory (one instance; lost on restart).
 *
 * @example
 * const hub = createEventHub({ replay: memoryReplayBuffer({ size: 500 }) });
 */
export function memoryReplayBuffer(options: MemoryReplayOptions = {}): ReplayBuffer {
  const size = options.size ?? 1000;
  assertNumber('size', size, 1);
  const channels = new Map<string, { events: StoredEvent[]; trimmed: number }>();
  let sequence = 0;
  let closed = false;
  return {
    name: 'memory',
    async append(channel, event) {
      if (closed) throw new RealtimeError('ERR_REALTIME_CLOSED', 'This replay buffer is closed.');
      let entry = channels.get(channel);
      if (!entry) {
        entry = { events: [], trimmed: 0 };
        channels.set(channel, entry);
      }
      const stored: StoredEvent = { id: String(++sequence), event: event.event, data: event.data };
      entry.events.push(stored);
      if (entry.events.length > size) entry.trimmed = Number(entry.events.shift()?.id);
      return stored;
    },
    async since(channel, lastId) {
      if (!/^\d{1,15}$/.test(lastId)) throw new InvalidLastEventIdError(lastId, 'a decimal number');
      const last = Number(lastId);
      const entry = channels.get(channel);
      // An id above anything issued comes from an earlier process: what followed it is unknown.
      if (last > sequence) return { events: entry ? [...entry.events] : [], complete: false };
      if (!entry) return { events: [], complete: true };
      return {
        events: entry.events.filter((event) => Number(event.id) > last),
        complete: last >= entry.trimmed,
      };
    },
    async close() {
      closed = true;
      channels.clear();
    },
  };
}
