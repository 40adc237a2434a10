// The pub/sub seam: the one interface WebSocket channels, SSE streams and presence fan out through.
// Memory (one process) and Redis (many instances) implement it; so can yours (check it with ./testing).

/** Called with each message published on a subscribed channel. */
export type BrokerListener = (message: string, channel: string) => void;

/**
 * A publish/subscribe transport between server instances.
 *
 * Contract (the `./testing` suite checks each point):
 * - **At most once.** A message reaches each subscription that was active when it was published at
 *   most once. Nothing is stored: a message published while an instance is disconnected, or before
 *   `subscribe()` resolved, is not delivered to it later. (Use a replay buffer where a client must
 *   catch up, as the SSE streams do.)
 * - **Ordered per channel and publisher.** Messages one instance publishes on one channel arrive at
 *   every subscriber in the order `publish()` was called. Across channels or publishers there is no order.
 * - `subscribe()` resolves once the subscription is active: a message published after that resolves
 *   is delivered. The returned function unsubscribes that listener only; after it resolves, the listener
 *   is not called again. Several listeners of one channel are each called once per message.
 * - Listeners run synchronously in delivery order; one that throws does not stop the others.
 * - `close()` ends every subscription and releases what the broker opened; `publish()` and `subscribe()`
 *   after it reject with ERR_REALTIME_CLOSED. Closing twice is harmless.
 */
export interface Broker {
  /** A short name for logs and the contract suite ("memory", "redis"). */
  readonly name: string;
  /** Sends `message` to every subscriber of `channel` on every instance. */
  publish(channel: string, message: string): Promise<void>;
  /** Calls `listener` for each message on `channel`; resolves with its unsubscribe function. */
  subscribe(channel: string, listener: BrokerListener): Promise<() => Promise<void>>;
  /** Ends every subscription and releases connections the broker opened itself. */
  close(): Promise<void>;
}

/** Calls each listener, isolating one that throws from the others. */
export function deliver(
  listeners: Iterable<BrokerListener>,
  message: string,
  channel: string,
  onError: (error: unknown) => void,
): void {
  for (const listener of listeners) {
    try {
      listener(message, channel);
    } catch (error) {
      onError(error);
    }
  }
}
