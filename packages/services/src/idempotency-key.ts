// An idempotency key and what a store of them offers: the interface both createIdempotency()
// (PostgreSQL, PGlite) and memoryIdempotency() implement, their options, the rule for a key.
import { ServicesError } from './errors.js';

/** Options of createIdempotency() and memoryIdempotency(). Durations are in milliseconds. */
export interface IdempotencyOptions {
  /** The key table, `plinth_idempotency` by default; `schema.table` is allowed. */
  table?: string;
  /** How long a stored result answers its key. Default 24 h. */
  ttl?: number;
  /** How long a duplicate waits for the first call with its key to finish. Default 10 000. */
  waitTimeout?: number;
}

/** Options of one idempotent run. */
export interface IdempotentRunOptions {
  /** A digest of the command's input: the same key with another fingerprint is refused (422). */
  fingerprint?: string;
  /** Overrides the store's ttl for this key. */
  ttl?: number;
}

/** Idempotent commands over one key table: createIdempotency() (PostgreSQL, PGlite) or memoryIdempotency(). */
export interface Idempotency {
  /** Runs `command` once per live `key` and answers every call with its stored (JSON) result. */
  run<T>(key: string, command: () => Promise<T>, options?: IdempotentRunOptions): Promise<T>;
  /** Deletes expired keys; resolves with how many. */
  purgeExpired(): Promise<number>;
  /** Creates the table if it does not exist (or put idempotencyTableSql() in a migration); nothing to do in memory. */
  install(): Promise<void>;
}

/** Throws a 400 ERR_SERVICES_INVALID_OPTION unless `key` is a string of 1–255 characters. */
export function validateIdempotencyKey(key: unknown): asserts key is string {
  if (typeof key !== 'string' || key.length === 0 || key.length > 255) {
    throw new ServicesError(
      'ERR_SERVICES_INVALID_OPTION',
      `An idempotency key must be a string of 1–255 characters (a UUID from the client), got ${typeof key === 'string' ? `${key.length} characters` : typeof key}.`,
      { status: 400 },
    );
  }
}
