// An in-memory EventSink double, shaped like @plinth/services' seam (declared here, no import):
// records what the outbox relay sends, can fail on purpose, and waits for deliveries.
import { TestingError } from './errors.js';

/** One outbox row as a relay hands it to a sink (the shape @plinth/services declares). */
export interface OutboxMessage {
  readonly id: string;
  readonly type: string;
  readonly payload: unknown;
  readonly headers: Readonly<Record<string, string>>;
  readonly createdAt: Date;
  readonly attempt: number;
}

/** The EventSink seam: `send` resolves once the message is durably accepted. */
export interface EventSink {
  readonly name?: string;
  send(message: OutboxMessage, signal: AbortSignal): Promise<void>;
  close?(): Promise<void>;
}

/** The double: an EventSink plus what a test reads and controls. */
export interface RecordingEventSink extends EventSink {
  /** Every accepted message in order, redeliveries included. */
  readonly messages: readonly OutboxMessage[];
  /** Accepted messages of one type. */
  ofType(type: string): OutboxMessage[];
  /** Rejects the next `times` sends with `error` (to test retries and the dead state). */
  fail(times: number, error?: Error): void;
  /** Resolves once `count` messages were accepted; rejects after `timeout` ms (default 1000). */
  waitFor(count: number, options?: { timeout?: number }): Promise<readonly OutboxMessage[]>;
  /** Forgets the messages. */
  clear(): void;
  close(): Promise<void>;
}

/**
 * An in-memory EventSink for tests: plug it into the outbox relay and assert on `messages`.
 *
 * @example
 * const sink = recordingEventSink();
 * const relay = createRelay({ sink, ... });
 * expect((await sink.waitFor(1))[0]?.type).toBe('order.placed');
 */
export function recordingEventSink(options: { name?: string } = {}): RecordingEventSink {
  const messages: OutboxMessage[] = [];
  const waiters = new Set<() => void>();
  let failures = 0;
  let failure = new Error('recordingEventSink: failing on purpose');
  let closed = false;
  return {
    name: options.name ?? 'recording',
    messages,
    ofType: (type) => messages.filter((message) => message.type === type),
    fail(times, error) {
      failures = times;
      if (error) failure = error;
    },
    async send(message, signal) {
      if (closed) throw new Error('recordingEventSink: send() after close()');
      signal?.throwIfAborted();
      if (failures > 0) {
        failures--;
        throw failure;
      }
      messages.push(message);
      for (const wake of waiters) wake();
    },
    waitFor(count, { timeout = 1000 } = {}) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (messages.length < count) return;
          cleanup();
          resolve(messages);
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(
            new TestingError(
              'ERR_TESTING_EVENTUALLY_TIMEOUT',
              `recordingEventSink: ${messages.length} of ${count} messages arrived within ${timeout} ms (types: ${messages.map((message) => message.type).join(', ') || 'none'}).`,
            ),
          );
        }, timeout);
        const cleanup = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
    clear() {
      messages.length = 0;
    },
    async close() {
      closed = true;
    },
  };
}
