// A bounded cache of tokens already verified, keyed by a SHA-256 of the token: a token seen again skips
// the signature (jose's WebCrypto verify costs ~20× a hash here; bench/index.ts "token seen again").
// An entry is never trusted past its `exp`, its key's removal, or a revocation (checked by the verifier).
import * as crypto from 'node:crypto';
import { BoundedMap } from './bounded-map.js';

/** Internal: what a cache hit returns. */
export interface CachedToken {
  readonly payload: Readonly<Record<string, unknown>>;
  readonly header: Readonly<Record<string, unknown>>;
  readonly kid: string | undefined;
  /** ms since epoch after which the entry is dead (exp + tolerance); Infinity when no exp. */
  readonly deadline: number;
}

/** Internal: the cache, at most `max` entries (see BoundedMap). */
export class VerifiedTokenCache {
  readonly #entries: BoundedMap<string, CachedToken>;

  constructor(max: number) {
    this.#entries = new BoundedMap(max);
  }

  static keyOf(token: string): string {
    // crypto.hash (Node ≥ 20.12) is one call, no Hash object; a binary (latin1) string skips base64.
    return crypto.hash('sha256', token, 'binary');
  }

  get(key: string, now: number): CachedToken | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    if (now >= entry.deadline) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry;
  }

  set(key: string, entry: CachedToken): void {
    this.#entries.set(key, entry);
  }

  delete(key: string): void {
    this.#entries.delete(key);
  }

  clear(): void {
    this.#entries.clear();
  }

  get size(): number {
    return this.#entries.size;
  }
}
