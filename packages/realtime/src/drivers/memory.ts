// The in-process Broker: the embedded default for one instance, and the model the Redis driver matches.
import { type Broker, type BrokerListener, deliver } from '../broker.js';
import { assertChannel, RealtimeError } from '../errors.js';

/** Options of {@link memoryBroker}. */
export interface MemoryBrokerOptions {
  /** Called when a listener throws; defaults to reporting it on stderr with `console.error`. */
  onError?: (error: unknown) => void;
}

/**
 * A Broker inside one process: publish delivers synchronously to this process's subscribers.
 *
 * @example
 * const broker = memoryBroker();
 * const stop = await broker.subscribe('news', (message) => console.log(message));
 * await broker.publish('news', 'hello');
 */
export function memoryBroker(options: MemoryBrokerOptions = {}): Broker {
  const channels = new Map<string, Set<BrokerListener>>();
  const onError = options.onError ?? ((error: unknown) => console.error('[realtime] listener failed', error));
  let closed = false;
  const open = () => {
    if (closed)
      throw new RealtimeError('ERR_REALTIME_CLOSED', 'This memory broker is closed; create a new one.');
  };
  return {
    name: 'memory',
    async publish(channel, message) {
      open();
      assertChannel(channel);
      const listeners = channels.get(channel);
      // A copy, so a listener that unsubscribes during delivery does not skip its neighbour.
      if (listeners) deliver([...listeners], message, channel, onError);
    },
    async subscribe(channel, listener) {
      open();
      assertChannel(channel);
      // A wrapper per call, so subscribing one function twice gives two independent subscriptions.
      const entry: BrokerListener = (message, name) => listener(message, name);
      let set = channels.get(channel);
      if (!set) {
        set = new Set();
        channels.set(channel, set);
      }
      set.add(entry);
      return async () => {
        set.delete(entry);
        if (set.size === 0 && channels.get(channel) === set) channels.delete(channel);
      };
    },
    async close() {
      closed = true;
      channels.clear();
    },
  };
}
