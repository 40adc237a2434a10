// An in-memory EventSink: keeps what it was sent, for tests and for a single-process app that
// consumes its outbox itself.
import type { EventSink, OutboxMessage } from '../event-sink.js';

/** An EventSink that records messages; `fail` makes the next sends reject (to test retries). */
export interface MemorySink extends EventSink {
  /** Every accepted message, in order (redeliveries included). */
  readonly messages: OutboxMessage[];
  /** Rejects the next `times` sends with `error`. */
  fail(times: number, error?: Error): void;
}

/** A sink that records what it is sent. */
export function memorySink(): MemorySink {
  const messages: OutboxMessage[] = [];
  let failures = 0;
  let failure = new Error('memorySink: failing on purpose');
  return {
    name: 'memory',
    messages,
    fail(times, error) {
      failures = times;
      if (error) failure = error;
    },
    async send(message) {
      if (failures > 0) {
        failures--;
        throw failure;
      }
      messages.push(message);
    },
  };
}
