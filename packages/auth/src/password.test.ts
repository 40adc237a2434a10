import * as crypto from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { AuthError } from './errors.js';
import { createPasswordHasher } from './password.js';

// Observe the comparison without timing anything: every verify must end in timingSafeEqual over full-length buffers.
vi.mock('node:crypto', async (original) => {
  const actual = await original<typeof import('node:crypto')>();
  return { ...actual, timingSafeEqual: vi.fn(actual.timingSafeEqual) };
});

// Low cost keeps the suite fast; the default (ln=17) is checked by its string only.
const hasher = createPasswordHasher({ cost: 10 });

describe('createPasswordHasher', () => {
  it('hashes into a PHC string carrying its parameters and a random salt', async () => {
    const first = await hasher.hash('correct horse');
    const second = await hasher.hash('correct horse');
    expect(first).toMatch(/^\$scrypt\$ln=10,r=8,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    expect(first).not.toBe(second);
  });

  it('verifies the right password and refuses a wrong one', async () => {
    const stored = await hasher.hash('correct horse');
    expect(await hasher.verify('correct horse', stored)).toEqual({ valid: true });
    expect(await hasher.verify('correct horsf', stored)).toEqual({ valid: false });
    expect(await hasher.verify('', stored)).toEqual({ valid: false });
  });

  it('compares with timingSafeEqual over the whole hash, for a near miss and a far miss alike', async () => {
    const stored = await hasher.hash('correct horse');
    const spy = vi.mocked(crypto.timingSafeEqual);
    spy.mockClear();
    await hasher.verify('correct horsf', stored);
    await hasher.verify('zzzzzzzzzzzzzzzzzzzzzzzzzzzzz', stored);
    expect(spy).toHaveBeenCalledTimes(2);
    for (const [a, b] of spy.mock.calls) {
      expect((a as Buffer).byteLength).toBe(32);
      expect((b as Buffer).byteLength).toBe(32);
    }
  });

  it('runs a dummy hash for an unknown user, so the answer costs the same', async () => {
    const spy = vi.mocked(crypto.timingSafeEqual);
    spy.mockClear();
    expect(await hasher.verify('anything', undefined)).toEqual({ valid: false });
    expect(spy).toHaveBeenCalledTimes(1);
  });

  it('rehashes on login when the parameters changed, and not otherwise', async () => {
    const stored = await hasher.hash('pw');
    const stronger = createPasswordHasher({ cost: 11 });
    expect(stronger.needsRehash(stored)).toBe(true);
    const { valid, rehash } = await stronger.verify('pw', stored);
    expect(valid).toBe(true);
    expect(rehash).toMatch(/^\$scrypt\$ln=11,r=8,p=1\$/);
    expect(await stronger.verify('pw', rehash as string)).toEqual({ valid: true });
    expect((await stronger.verify('wrong', stored)).rehash).toBeUndefined();
  });

  it('refuses passwords over the maximum length without hashing them', async () => {
    const short = createPasswordHasher({ cost: 10, maxLength: 16 });
    const error = await short.hash('x'.repeat(17)).catch((caught: AuthError) => caught);
    expect(error).toBeInstanceOf(AuthError);
    expect((error as AuthError).reason).toBe('ERR_AUTH_PASSWORD_TOO_LONG');
    expect((error as AuthError).status).toBe(400);
    const stored = await short.hash('x'.repeat(16));
    expect(await short.verify('x'.repeat(17), stored)).toEqual({ valid: false });
  });

  it('throws ERR_AUTH_PASSWORD_HASH_MALFORMED for a hash it did not make, without echoing it', async () => {
    const error = await hasher
      .verify('pw', '$2b$10$abcdefghijklmnopqrstuv')
      .catch((caught: AuthError) => caught);
    expect((error as AuthError).reason).toBe('ERR_AUTH_PASSWORD_HASH_MALFORMED');
    expect((error as AuthError).message).not.toContain('$2b$');
  });

  it('defaults to OWASP parameters and refuses silly ones at start', () => {
    expect(createPasswordHasher().needsRehash('$scrypt$ln=17,r=8,p=1$x$y')).toBe(false);
    expect(() => createPasswordHasher({ cost: 4 })).toThrow(/cost is log2/);
  });
});
