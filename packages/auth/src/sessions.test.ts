import { describe, expect, it } from 'vitest';
import { readCookie } from './cookies.js';
import { createSessions } from './sessions.js';

const secret = 'a'.repeat(32);
const cookieValue = (setCookie: string) => readCookie(setCookie.split(';')[0], '__Host-session') as string;

describe('createSessions', () => {
  it('sets a signed, HttpOnly, Secure, SameSite cookie and verifies it to a principal', async () => {
    const sessions = createSessions({ secrets: [secret] });
    const { setCookie, session } = sessions.login({ id: 'u1', roles: ['editor'] });
    expect(setCookie).toMatch(
      /^__Host-session=[^;]+; Path=\/; Max-Age=86400; HttpOnly; Secure; SameSite=Lax$/,
    );
    expect(await sessions.verify(cookieValue(setCookie))).toEqual({
      id: 'u1',
      via: 'cookie',
      roles: ['editor'],
      permissions: [],
      attributes: { sid: session.sid },
    });
  });

  it('rotates the session id at every login (no fixation)', () => {
    const sessions = createSessions({ secrets: [secret] });
    expect(sessions.login({ id: 'u1' }).session.sid).not.toBe(sessions.login({ id: 'u1' }).session.sid);
  });

  it('refuses a tampered, re-signed-with-another-key, or expired cookie', async () => {
    let clock = 1_800_000_000_000;
    const sessions = createSessions({ secrets: [secret], ttl: 60, now: () => clock });
    const value = cookieValue(sessions.login({ id: 'u1' }).setCookie);
    const [payload, signature] = value.split('.') as [string, string];
    const forged = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), userId: 'admin' }),
    ).toString('base64url');
    expect(await sessions.verify(`${forged}.${signature}`)).toBeUndefined();
    const other = createSessions({ secrets: ['b'.repeat(32)], now: () => clock });
    expect(await other.verify(value)).toBeUndefined();
    clock += 60_000;
    expect(await sessions.verify(value)).toBeUndefined();
  });

  it('keeps verifying cookies of an older secret after a rotation', async () => {
    const before = createSessions({ secrets: [secret] });
    const value = cookieValue(before.login({ id: 'u1' }).setCookie);
    const after = createSessions({ secrets: ['n'.repeat(32), secret] });
    expect((await after.verify(value))?.id).toBe('u1');
  });

  it('ends revoked sessions and deletes the cookie on logout', async () => {
    const revoked = new Set<string>();
    const sessions = createSessions({
      secrets: [secret],
      isRevoked: (session) => revoked.has(session.userId),
    });
    const value = cookieValue(sessions.login({ id: 'u1' }).setCookie);
    revoked.add('u1');
    expect(await sessions.verify(value)).toBeUndefined();
    expect(sessions.logout()).toContain('Max-Age=0');
  });

  it('refuses short secrets and insecure __Host- cookies at start', () => {
    expect(() => createSessions({ secrets: ['short'] })).toThrow(/at least 32 bytes/);
    expect(() => createSessions({ secrets: [secret], cookie: { secure: false } })).toThrow(/__Host-/);
  });
});
