// A bounded cache of tokens already verified, keyed by a SHA-256 of the token: a token seen again skips
// the signature and the parsing (an RS256/ES256/EdDSA verify on WebCrypto costs ~20× a hash here, an
// HS256 one on node:crypto several hashes and two base64 decodes; bench/index.ts "token seen again").
// An entry is never trusted past its `exp`, its key's removal, or a revocation (checked by the verifier).
//
// A token is admitted on its second verification, not its first: most tokens an API sees are presented
// many times, but a caching proxy or a burst of new logins shows many only once, and keeping an entry
// for each of those (payload, header, principal) made every first-seen token pay for garbage collection
// of objects that would never be read (bench "token seen for the first time"). The tokens seen once are
// remembered only as a 32-bit fingerprint in a fixed typed array (TinyLFU's "doorkeeper"): no object is
// kept per token, and a slot is simply overwritten by the next token that hashes to it.
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

/** Internal: the cache, at most `max` entries (see BoundedMap), admitting a token on its second sight. */
export class VerifiedTokenCache {
  readonly #entries: BoundedMap<string, CachedToken>;
  /** Fingerprints of tokens verified once: slot and fingerprint both come from the token's SHA-256. */
  readonly #seenOnce: Int32Array;
  readonly #mask: number;

  constructor(max: number) {
    this.#entries = new BoundedMap(max);
    // A power of two ≥ max (at least 64): 64 KiB for the default 10,000.
    let slots = 64;
    while (slots < max) slots *= 2;
    this.#seenOnce = new Int32Array(slots);
    this.#mask = slots - 1;
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

  /**
   * Called once a token not in the cache has verified: true when it was verified before (its entry
   * should now be set), false on its first sight, which is only noted. `key` is a `keyOf` digest.
   */
  admits(key: string): boolean {
    // Bytes 0-3 of the digest pick the slot, bytes 4-7 are the fingerprint (0 means an empty slot).
    const slot =
      (key.charCodeAt(0) | (key.charCodeAt(1) << 8) | (key.charCodeAt(2) << 16) | (key.charCodeAt(3) << 24)) &
      this.#mask;
    const fingerprint =
      key.charCodeAt(4) | (key.charCodeAt(5) << 8) | (key.charCodeAt(6) << 16) | (key.charCodeAt(7) << 24) ||
      1;
    if (this.#seenOnce[slot] === fingerprint) {
      this.#seenOnce[slot] = 0;
      return true;
    }
    this.#seenOnce[slot] = fingerprint;
    return false;
  }

  set(key: string, entry: CachedToken): void {
    this.#entries.set(key, entry);
  }

  delete(key: string): void {
    this.#entries.delete(key);
  }

  clear(): void {
    this.#entries.clear();
    this.#seenOnce.fill(0);
  }

  get size(): number {
    return this.#entries.size;
  }
}
