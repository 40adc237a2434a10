// The seam between the outbox relay and the app's transport: a job queue, a pub/sub broker, a
// webhook. The relay calls `send` for each outbox row and marks the row delivered when it resolves.

/** One outbox row as the relay hands it to a sink. */
export interface OutboxMessage {
  /** The event's id, stable across redeliveries: consumers deduplicate on it. */
  readonly id: string;
  readonly type: string;
  readonly payload: unknown;
  readonly headers: Readonly<Record<string, string>>;
  /** When the business transaction wrote it. */
  readonly createdAt: Date;
  /** 1 for the first delivery attempt, 2 for the first retry, ... */
  readonly attempt: number;
}

/**
 * Where the outbox relay delivers events. Contract:
 * - `send` resolves only once the transport has accepted the message durably; the relay then
 *   marks it delivered. A rejection (or running past the relay's `sendTimeout`) schedules a retry
 *   with backoff, and after `maxAttempts` the message is marked dead.
 * - Delivery is at least once: after a crash between `send` and the mark, the message is sent
 *   again, with the same `id`. Two relays never send the same message at the same time.
 * - `signal` aborts when the relay gives up on this call (timeout or close()); stop work then.
 * - Per relay, messages are sent one at a time in the order they were written; with several
 *   relays side by side there is no global order.
 */
export interface EventSink {
  /** A short name for errors and logs: `jobs`, `redis-pubsub`. */
  readonly name?: string;
  send(message: OutboxMessage, signal: AbortSignal): Promise<void>;
  close?(): Promise<void>;
}
