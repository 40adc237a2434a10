// Refresh tokens: opaque, random, stored as a SHA-256 in a TokenStore, rotated on every use. Presenting
// a token already used means it was stolen (or replayed): the whole family is revoked (OAuth 2.0
// Security BCP, RFC 9700 §4.14.2).
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { invalidOption, UnauthenticatedError } from './errors.js';
import type { TokenStore } from './store.js';

/** Options of `createRefreshTokens`. */
export interface RefreshTokensOptions {
  store: TokenStore;
  /** Lifetime of each token, seconds. Default 2592000 (30 days). */
  ttl?: number;
  /** The clock, ms since epoch (tests). */
  now?: () => number;
}

/** A refresh token handed to the client, and what it stands for. */
export interface IssuedRefreshToken {
  readonly token: string;
  readonly userId: string;
  readonly family: string;
  /** ms since epoch. */
  readonly expiresAt: number;
}

/** Issues, rotates and revokes refresh tokens. */
export interface RefreshTokens {
  /** A new token in a new family (a login). */
  issue(userId: string): Promise<IssuedRefreshToken>;
  /**
   * Spends `token` and answers its successor in the same family. Throws ERR_AUTH_REFRESH_INVALID for an
   * unknown, expired or revoked token, and ERR_AUTH_REFRESH_REUSED (after revoking the family) for a used one.
   */
  rotate(token: string): Promise<IssuedRefreshToken>;
  /** Logs out the session of `token` (its whole family); unknown tokens are ignored. */
  revoke(token: string): Promise<void>;
  /** Logs a user out everywhere. */
  revokeUser(userId: string): Promise<void>;
}

const tokenPattern = /^rt_[A-Za-z0-9_-]{43}$/;
const hashOf = (token: string) => createHash('sha256').update(token).digest('base64url');

/**
 * Makes refresh-token handling over a TokenStore.
 *
 * @example
 * const refresh = createRefreshTokens({ store: redisTokenStore({ client }) });
 * const { token } = await refresh.issue(user.id);     // at login
 * const next = await refresh.rotate(presentedToken);   // at /token/refresh
 */
export function createRefreshTokens(options: RefreshTokensOptions): RefreshTokens {
  const { store } = options;
  if (typeof store?.consume !== 'function')
    invalidOption('store must be a TokenStore (memoryTokenStore() or redisTokenStore({ client })).');
  const ttl = options.ttl ?? 2_592_000;
  if (!Number.isInteger(ttl) || ttl <= 0) invalidOption('ttl must be a whole number of seconds > 0.');
  const now = options.now ?? Date.now;

  async function save(userId: string, family: string): Promise<IssuedRefreshToken> {
    const token = `rt_${randomBytes(32).toString('base64url')}`;
    const expiresAt = now() + ttl * 1000;
    await store.save(hashOf(token), { userId, family, expiresAt });
    return { token, userId, family, expiresAt };
  }

  return {
    issue(userId) {
      if (typeof userId !== 'string' || userId === '') invalidOption('userId must be a non-empty string.');
      return save(userId, randomUUID());
    },
    async rotate(token) {
      const found =
        typeof token === 'string' && tokenPattern.test(token)
          ? await store.consume(hashOf(token), now())
          : undefined;
      if (found === undefined)
        throw new UnauthenticatedError(
          'ERR_AUTH_REFRESH_INVALID',
          'The refresh token is not valid; log in again.',
        );
      if (found.status === 'reused') {
        await store.revokeFamily(found.record.family);
        throw new UnauthenticatedError(
          'ERR_AUTH_REFRESH_REUSED',
          'The refresh token was already used; every session of this login is now revoked.',
        );
      }
      return save(found.record.userId, found.record.family);
    },
    async revoke(token) {
      if (typeof token !== 'string' || !tokenPattern.test(token)) return;
      const found = await store.consume(hashOf(token), now());
      if (found !== undefined) await store.revokeFamily(found.record.family);
    },
    revokeUser: (userId) => store.revokeUser(userId),
  };
}
