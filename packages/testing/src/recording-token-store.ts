// An in-memory TokenStore double, shaped like @plinth/auth's seam (declared here, no import): keeps
// every saved refresh token, used or revoked, so a test can read what rotation and reuse detection did.

/** One refresh token as stored (the shape @plinth/auth declares). */
export interface RefreshRecord {
  readonly userId: string;
  readonly family: string;
  /** ms since epoch; from then on the token answers undefined. */
  readonly expiresAt: number;
}

/** What `consume` found: the first use is 'active', every later one 'reused'. */
export interface ConsumeResult {
  readonly status: 'active' | 'reused';
  readonly record: RefreshRecord;
}

/** The TokenStore seam: atomic save/consume/revoke by the SHA-256 of a refresh token. */
export interface TokenStore {
  readonly name: string;
  save(hash: string, record: RefreshRecord): Promise<void>;
  consume(hash: string, now: number): Promise<ConsumeResult | undefined>;
  revokeFamily(family: string): Promise<void>;
  revokeUser(userId: string): Promise<void>;
  close(): Promise<void>;
}

/** A saved token as the double keeps it: revoked tokens stay listed, marked. */
export interface StoredToken {
  readonly hash: string;
  readonly record: RefreshRecord;
  /** Consumed at least once. */
  readonly used: boolean;
  /** Its family or user was revoked after it was saved. */
  readonly revoked: boolean;
}

/** The double: a TokenStore plus what a test reads. */
export interface RecordingTokenStore extends TokenStore {
  /** Every token saved, in save order (a hash saved again replaces its entry). */
  readonly tokens: readonly StoredToken[];
  /** The token stored under `hash`, or undefined. */
  token(hash: string): StoredToken | undefined;
  /** Every family passed to `revokeFamily`, in call order (reuse detection revokes the family). */
  readonly revokedFamilies: readonly string[];
  /** Every user passed to `revokeUser`, in order. */
  readonly revokedUsers: readonly string[];
  /** True once `close()` was called. */
  readonly closed: boolean;
  /** Forgets every token and revocation. */
  clear(): void;
}

/**
 * A TokenStore for tests that records tokens, uses and revocations; it passes
 * `@plinth/auth/testing`'s contract suite.
 *
 * @example
 * const store = recordingTokenStore();
 * const refresh = createRefreshTokens({ store });
 * const login = await refresh.issue('u1');
 * await refresh.rotate(login.token);
 * await expect(refresh.rotate(login.token)).rejects.toThrow(); // reused
 * expect(store.revokedFamilies).toEqual([login.family]);
 */
export function recordingTokenStore(options: { name?: string } = {}): RecordingTokenStore {
  const tokens = new Map<string, { -readonly [K in keyof StoredToken]: StoredToken[K] }>();
  const revokedFamilies: string[] = [];
  const revokedUsers: string[] = [];
  let closed = false;
  const revoke = (match: (record: RefreshRecord) => boolean) => {
    for (const entry of tokens.values()) if (match(entry.record)) entry.revoked = true;
  };
  return {
    name: options.name ?? 'recording',
    get tokens() {
      return [...tokens.values()].map((entry) => ({ ...entry }));
    },
    token(hash) {
      const entry = tokens.get(hash);
      return entry && { ...entry };
    },
    revokedFamilies,
    revokedUsers,
    get closed() {
      return closed;
    },
    async save(hash, record) {
      tokens.delete(hash);
      tokens.set(hash, { hash, record: { ...record }, used: false, revoked: false });
    },
    async consume(hash, now) {
      const entry = tokens.get(hash);
      if (!entry || entry.revoked || entry.record.expiresAt <= now) return undefined;
      const status = entry.used ? 'reused' : 'active';
      entry.used = true;
      return { status, record: { ...entry.record } };
    },
    async revokeFamily(family) {
      revokedFamilies.push(family);
      revoke((record) => record.family === family);
    },
    async revokeUser(userId) {
      revokedUsers.push(userId);
      revoke((record) => record.userId === userId);
    },
    clear() {
      tokens.clear();
      revokedFamilies.length = 0;
      revokedUsers.length = 0;
    },
    async close() {
      closed = true;
    },
  };
}
