import { createRefreshTokens } from '@plinth/auth';
import { describe, expect, it } from 'vitest';
import { recordingTokenStore } from './recording-token-store.js';

describe('recordingTokenStore()', () => {
  it('shows the family @plinth/auth revoked when a refresh token was reused', async () => {
    const store = recordingTokenStore();
    const refresh = createRefreshTokens({ store, now: () => 1_000 });
    const login = await refresh.issue('u1');
    const next = await refresh.rotate(login.token);
    await expect(refresh.rotate(login.token)).rejects.toMatchObject({ code: 'REFRESH_TOKEN_REUSED' });

    expect(store.revokedFamilies).toEqual([login.family]);
    expect(store.tokens).toHaveLength(2);
    expect(store.tokens.every((token) => token.revoked && token.record.family === login.family)).toBe(true);
    expect(store.tokens.map((token) => token.used)).toEqual([true, false]);
    await expect(refresh.rotate(next.token)).rejects.toMatchObject({ code: 'REFRESH_TOKEN_INVALID' });
  });

  it('keeps revoked tokens listed and records users logged out everywhere', async () => {
    const store = recordingTokenStore();
    await store.save('a', { userId: 'u1', family: 'f1', expiresAt: 10 });
    await store.save('b', { userId: 'u2', family: 'f2', expiresAt: 10 });
    await store.revokeUser('u1');
    expect(store.revokedUsers).toEqual(['u1']);
    expect(store.token('a')).toEqual({
      hash: 'a',
      record: { userId: 'u1', family: 'f1', expiresAt: 10 },
      used: false,
      revoked: true,
    });
    expect(await store.consume('a', 0)).toBeUndefined();
    expect(store.token('b')?.revoked).toBe(false);
    expect(store.token('missing')).toBeUndefined();
  });

  it('hands out copies, forgets on clear() and reports close()', async () => {
    const store = recordingTokenStore({ name: 'fake' });
    await store.save('a', { userId: 'u1', family: 'f1', expiresAt: 10 });
    (store.tokens[0] as { used: boolean }).used = true;
    expect((await store.consume('a', 0))?.status).toBe('active');
    await store.revokeFamily('f1');
    store.clear();
    expect([store.tokens, store.revokedFamilies]).toEqual([[], []]);
    expect(store.name).toBe('fake');
    expect(store.closed).toBe(false);
    await store.close();
    expect(store.closed).toBe(true);
  });
});
