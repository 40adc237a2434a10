import { describe, expect, it } from 'vitest';
import { memoryTokenStore } from './drivers/memory.js';
import type { AuthError } from './errors.js';
import { createRefreshTokens } from './refresh-tokens.js';
import type { TokenStore } from './store.js';

function setup() {
  let clock = 1_800_000_000_000;
  const saved: string[] = [];
  const inner = memoryTokenStore();
  const store: TokenStore = {
    ...inner,
    save(hash, record) {
      saved.push(hash);
      return inner.save(hash, record);
    },
  };
  const refresh = createRefreshTokens({ store, ttl: 60, now: () => clock });
  return { refresh, saved, advance: (ms: number) => (clock += ms) };
}

const codeOf = (promise: Promise<unknown>) =>
  promise.then(
    () => 'accepted',
    (error: AuthError) => error.reason,
  );

describe('createRefreshTokens', () => {
  it('issues opaque random tokens and stores only their hash', async () => {
    const { refresh, saved } = setup();
    const { token } = await refresh.issue('u1');
    expect(token).toMatch(/^rt_[A-Za-z0-9_-]{43}$/);
    expect(saved).toHaveLength(1);
    expect(saved[0]).not.toContain(token.slice(3));
  });

  it('rotates on every use within the same family', async () => {
    const { refresh } = setup();
    const first = await refresh.issue('u1');
    const second = await refresh.rotate(first.token);
    expect(second.token).not.toBe(first.token);
    expect(second).toMatchObject({ userId: 'u1', family: first.family });
    const third = await refresh.rotate(second.token);
    expect(third.family).toBe(first.family);
  });

  it('revokes the whole family when a used token comes back (theft detection)', async () => {
    const { refresh } = setup();
    const stolen = await refresh.issue('u1');
    const legit = await refresh.rotate(stolen.token);
    expect(await codeOf(refresh.rotate(stolen.token))).toBe('ERR_AUTH_REFRESH_REUSED');
    expect(await codeOf(refresh.rotate(legit.token))).toBe('ERR_AUTH_REFRESH_INVALID');
  });

  it('refuses expired, unknown and malformed tokens with a 401', async () => {
    const { refresh, advance } = setup();
    const { token } = await refresh.issue('u1');
    advance(60_000);
    const error = await refresh.rotate(token).catch((caught: AuthError) => caught);
    expect((error as AuthError).reason).toBe('ERR_AUTH_REFRESH_INVALID');
    expect((error as AuthError).status).toBe(401);
    expect((error as AuthError).message).not.toContain(token);
    expect(await codeOf(refresh.rotate(`rt_${'A'.repeat(43)}`))).toBe('ERR_AUTH_REFRESH_INVALID');
    expect(await codeOf(refresh.rotate('../../etc/passwd'))).toBe('ERR_AUTH_REFRESH_INVALID');
  });

  it('logs out one session, and a user everywhere', async () => {
    const { refresh } = setup();
    const laptop = await refresh.issue('u1');
    const phone = await refresh.issue('u1');
    const other = await refresh.issue('u2');
    await refresh.revoke(laptop.token);
    expect(await codeOf(refresh.rotate(laptop.token))).toBe('ERR_AUTH_REFRESH_INVALID');
    const phoneNext = await refresh.rotate(phone.token);
    await refresh.revokeUser('u1');
    expect(await codeOf(refresh.rotate(phoneNext.token))).toBe('ERR_AUTH_REFRESH_INVALID');
    expect(await codeOf(refresh.rotate(other.token))).toBe('accepted');
  });
});
