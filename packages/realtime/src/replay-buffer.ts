// The replay seam: events kept per channel so a client that reconnects with Last-Event-ID gets exactly
// what it missed. Memory keeps them in this process; Redis Streams share them across instances and restarts.

/** An event as a replay buffer stores it: the data already serialised. */
export interface StoredEvent {
  readonly id: string;
  readonly event?: string | undefined;
  readonly data: string;
}

/** What {@link ReplayBuffer.since} found. */
export interface ReplayResult {
  /** Every retained event after the given id, oldest first. */
  readonly events: StoredEvent[];
  /** False when events after the given id may have been trimmed away (or it is from another epoch). */
  readonly complete: boolean;
}

/**
 * Stores recent events per channel and replays them by id.
 *
 * Contract: ids are assigned by `append`, unique per buffer, and increase in append order per channel;
 * `since` returns the retained events after an id in that order, and throws InvalidLastEventIdError
 * (HTTP 400) for an id this buffer could never have issued.
 */
export interface ReplayBuffer {
  readonly name: string;
  /** Stores an event and returns it with its id. */
  append(channel: string, event: { event?: string | undefined; data: string }): Promise<StoredEvent>;
  /** The retained events after `lastId` on `channel`. */
  since(channel: string, lastId: string): Promise<ReplayResult>;
  close(): Promise<void>;
}
