// An in-memory Broker double, shaped like @plinth/realtime's pub/sub seam (declared here, no import):
// delivers synchronously like the memory broker, and records what was published and who listens.

/** Called with each message published on a subscribed channel. */
export type BrokerListener = (message: string, channel: string) => void;

/** The Broker seam: at-most-once pub/sub, ordered per channel and publisher; see @plinth/realtime. */
export interface Broker {
  readonly name: string;
  publish(channel: string, message: string): Promise<void>;
  subscribe(channel: string, listener: BrokerListener): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

/** One published message. */
export interface PublishedMessage {
  readonly channel: string;
  readonly message: string;
}

/** The double: a Broker plus what a test reads. Every instance from `connect()` shares the record. */
export interface RecordingBroker extends Broker {
  /** Every message published on the transport (by any instance), in order. */
  readonly published: readonly PublishedMessage[];
  /** The messages published on `channel`, in order. */
  messages(channel: string): string[];
  /** How many subscriptions `channel` has on the transport now. */
  subscribers(channel: string): number;
  /** What listeners threw, in order (each is also passed to `onError`). */
  readonly errors: readonly unknown[];
  /** Another instance on the same transport, as a second server would be. */
  connect(): RecordingBroker;
  /** True once `close()` was called on this instance. */
  readonly closed: boolean;
  /** Forgets the published messages and listener errors (subscriptions stay). */
  clear(): void;
}

/** Options of recordingBroker(). */
export interface RecordingBrokerOptions {
  /** Called when a listener throws (default: `console.error`, as @plinth/realtime's memory broker). */
  onError?: (error: unknown) => void;
}

interface Transport {
  readonly channels: Map<string, Set<BrokerListener>>;
  readonly published: PublishedMessage[];
  readonly errors: unknown[];
  readonly onError: (error: unknown) => void;
}

// The error shape @plinth/realtime throws: callers branch on `code`.
function brokerError(code: 'ERR_REALTIME_CLOSED' | 'ERR_REALTIME_INVALID_CHANNEL', message: string) {
  return Object.assign(new Error(message), { name: 'RealtimeError', code });
}

function checkChannel(channel: unknown): void {
  if (typeof channel !== 'string' || channel.length === 0 || channel.length > 1024) {
    throw brokerError(
      'ERR_REALTIME_INVALID_CHANNEL',
      `recordingBroker: a channel name must be a non-empty string of at most 1024 characters, got ${JSON.stringify(channel)}.`,
    );
  }
}

function instance(transport: Transport): RecordingBroker {
  // This instance's subscriptions, so close() ends them and no other instance's.
  const own = new Map<BrokerListener, string>();
  let closed = false;
  const open = () => {
    if (closed) throw brokerError('ERR_REALTIME_CLOSED', 'recordingBroker: this instance is closed.');
  };
  const unsubscribe = (entry: BrokerListener) => {
    const channel = own.get(entry);
    if (channel === undefined) return;
    own.delete(entry);
    const set = transport.channels.get(channel);
    set?.delete(entry);
    if (set?.size === 0) transport.channels.delete(channel);
  };
  return {
    name: 'recording',
    get published() {
      return transport.published;
    },
    messages: (channel) =>
      transport.published.filter((entry) => entry.channel === channel).map((entry) => entry.message),
    subscribers: (channel) => transport.channels.get(channel)?.size ?? 0,
    get errors() {
      return transport.errors;
    },
    connect: () => instance(transport),
    get closed() {
      return closed;
    },
    clear() {
      transport.published.length = 0;
      transport.errors.length = 0;
    },
    async publish(channel, message) {
      open();
      checkChannel(channel);
      transport.published.push({ channel, message });
      // A copy: a listener that unsubscribes while being called does not skip its neighbour.
      for (const listener of [...(transport.channels.get(channel) ?? [])]) {
        try {
          listener(message, channel);
        } catch (error) {
          transport.errors.push(error);
          transport.onError(error);
        }
      }
    },
    async subscribe(channel, listener) {
      open();
      checkChannel(channel);
      // One entry per call, so one function subscribed twice is called twice.
      const entry: BrokerListener = (message, name) => listener(message, name);
      own.set(entry, channel);
      let set = transport.channels.get(channel);
      if (!set) {
        set = new Set();
        transport.channels.set(channel, set);
      }
      set.add(entry);
      return async () => unsubscribe(entry);
    },
    async close() {
      closed = true;
      for (const entry of [...own.keys()]) unsubscribe(entry);
    },
  };
}

/**
 * A Broker for tests: publish delivers synchronously to every instance's subscribers and is recorded;
 * it passes `@plinth/realtime/testing`'s contract suite.
 *
 * @example
 * const broker = recordingBroker();
 * const hub = createEventHub({ broker });
 * await hub.publish('team:7', { data: { id: 42 } });
 * expect(broker.messages('sse:team:7')).toHaveLength(1); // the hub prefixes its channels
 */
export function recordingBroker(options: RecordingBrokerOptions = {}): RecordingBroker {
  const onError =
    options.onError ?? ((error: unknown) => console.error('[recordingBroker] listener failed', error));
  return instance({ channels: new Map(), published: [], errors: [], onError });
}
