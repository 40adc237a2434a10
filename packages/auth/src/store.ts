// TokenStore: the seam where refresh tokens live (memory, Redis, or yours). Tokens are stored by the
// SHA-256 of the token, never the token; the contract suite in `@plinth/auth/testing` checks a driver.

/** One refresh token, as stored. */
export interface RefreshRecord {
  /** Whose token. */
  readonly userId: string;
  /** The family: every token rotated from one login shares it, so reuse can revoke them all. */
  readonly family: string;
  /** When the token stops being valid, ms since epoch; the store may forget it from then on. */
  readonly expiresAt: number;
}

/** What `consume` found: the first use is 'active'; any later use of the same token is 'reused'. */
export interface ConsumeResult {
  readonly status: 'active' | 'reused';
  readonly record: RefreshRecord;
}

/**
 * Where refresh tokens are kept. Every method is atomic on its own; the contract:
 * - `save` makes the token visible to `consume` once its promise resolves.
 * - `consume` marks the token used and answers its state *before* the call: of any number of
 *   concurrent calls for one hash exactly one answers 'active'. Unknown, expired (`expiresAt <= now`)
 *   or revoked tokens answer undefined.
 * - `revokeFamily` / `revokeUser` make every token of the family / of every family of the user answer
 *   undefined from then on; other families and users are untouched.
 * - `close` releases what the store opened itself (never a client you passed in).
 */
export interface TokenStore {
  /** A name for logs and the contract suite ("memory", "redis"). */
  readonly name: string;
  save(hash: string, record: RefreshRecord): Promise<void>;
  consume(hash: string, now: number): Promise<ConsumeResult | undefined>;
  revokeFamily(family: string): Promise<void>;
  revokeUser(userId: string): Promise<void>;
  close(): Promise<void>;
}
