// Refresh-token rotation shared by two app instances through Redis: a token raced by two instances is
// spent once; the loser's reuse revokes the family, so the thief's (or the winner's) successor dies too.
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { redisTokenStore } from '../src/drivers/redis.js';
import type { AuthError } from '../src/errors.js';
import { createRefreshTokens } from '../src/refresh-tokens.js';
import { connectRedis, redisUrl } from './support/redis.js';

const first = await connectRedis();
const prefix = `plinth-auth-test:refresh:${process.pid}:`;

describe.skipIf(first === undefined)('refresh tokens on Redis across two instances', () => {
  const second = new Redis(redisUrl, { lazyConnect: true });
  const instanceA = createRefreshTokens({ store: redisTokenStore({ client: first as Redis, prefix }) });
  const instanceB = createRefreshTokens({ store: redisTokenStore({ client: second, prefix }) });
  afterAll(async () => {
    const keys = await (first as Redis).keys(`${prefix}*`);
    if (keys.length > 0) await (first as Redis).del(...keys);
    first?.disconnect();
    second.disconnect();
  });

  it('spends a token once when two instances rotate it at the same moment, and revokes the family', async () => {
    const { token } = await instanceA.issue('user-1');
    const outcomes = await Promise.allSettled([instanceA.rotate(token), instanceB.rotate(token)]);
    const won = outcomes.filter((outcome) => outcome.status === 'fulfilled');
    const lost = outcomes.filter(
      (outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected',
    );
    expect(won).toHaveLength(1);
    expect((lost[0] as PromiseRejectedResult).reason.reason).toBe('ERR_AUTH_REFRESH_REUSED');
    const successor = (won[0] as PromiseFulfilledResult<{ token: string }>).value.token;
    const after = await instanceB.rotate(successor).catch((error: AuthError) => error.reason);
    expect(after).toBe('ERR_AUTH_REFRESH_INVALID');
  });

  it('stores no token in Redis, only its hash', async () => {
    const { token } = await instanceA.issue('user-2');
    const keys = await (first as Redis).keys(`${prefix}*`);
    for (const key of keys) expect(key).not.toContain(token.slice(3));
    const values = await Promise.all(
      keys.filter((key) => key.includes(':rt:')).map((key) => (first as Redis).hgetall(key)),
    );
    expect(JSON.stringify(values)).not.toContain(token.slice(3));
  });

  it('logs a user out on every instance', async () => {
    const laptop = await instanceA.issue('user-3');
    const phone = await instanceB.issue('user-3');
    await instanceA.revokeUser('user-3');
    expect(await instanceB.rotate(laptop.token).catch((error: AuthError) => error.reason)).toBe(
      'ERR_AUTH_REFRESH_INVALID',
    );
    expect(await instanceA.rotate(phone.token).catch((error: AuthError) => error.reason)).toBe(
      'ERR_AUTH_REFRESH_INVALID',
    );
  });
});
