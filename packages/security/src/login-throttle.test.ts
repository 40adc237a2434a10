import { describe, expect, it } from 'vitest';
import { memoryStore } from './drivers/memory.js';
import { createLoginThrottle } from './login-throttle.js';

describe('createLoginThrottle', () => {
  it('lets the free attempts through, then doubles the wait with each failure', async () => {
    let now = 1_700_000_040_000;
    const throttle = createLoginThrottle({
      store: memoryStore({ now: () => now }),
      freeAttempts: 3,
      baseDelayMs: 1_000,
    });
    for (let attempt = 0; attempt < 3; attempt++) {
      expect((await throttle.check('alice', '192.0.2.1')).allowed).toBe(true);
      await throttle.fail('alice', '192.0.2.1');
    }
    expect(await throttle.check('alice', '192.0.2.1')).toEqual({ allowed: true, retryAfterMs: 0 });
    const waits: number[] = [];
    for (let failure = 0; failure < 4; failure++) {
      const verdict = await throttle.fail('alice', '192.0.2.1');
      expect(verdict.allowed).toBe(false);
      waits.push(verdict.retryAfterMs);
      expect(await throttle.check('Alice ', '192.0.2.1')).toEqual({
        allowed: false,
        retryAfterMs: verdict.retryAfterMs,
      });
      now += verdict.retryAfterMs;
    }
    expect(waits).toEqual([1_000, 2_000, 4_000, 8_000]);
    // Another client trying the same username is not blocked by this one's failures.
    expect((await throttle.check('alice', '192.0.2.2')).allowed).toBe(true);
  });

  it('a success clears the username + client failures', async () => {
    const throttle = createLoginThrottle({ store: memoryStore(), freeAttempts: 1 });
    await throttle.fail('bob', '192.0.2.1');
    expect((await throttle.fail('bob', '192.0.2.1')).allowed).toBe(false);
    await throttle.succeed('bob', '192.0.2.1');
    expect((await throttle.check('bob', '192.0.2.1')).allowed).toBe(true);
  });

  it('caps the delay at maxDelayMs', async () => {
    let now = 1_700_000_040_000;
    const throttle = createLoginThrottle({
      store: memoryStore({ now: () => now }),
      freeAttempts: 1,
      baseDelayMs: 1_000,
      maxDelayMs: 4_000,
    });
    let last = 0;
    for (let failure = 0; failure < 8; failure++) {
      last = (await throttle.fail('carol', '192.0.2.1')).retryAfterMs;
      now += last;
    }
    expect(last).toBe(4_000);
  });

  it('blocks a client spraying many usernames', async () => {
    const throttle = createLoginThrottle({ store: memoryStore(), clientLimit: 5 });
    for (let index = 0; index < 5; index++) await throttle.fail(`user${index}`, '192.0.2.9');
    expect((await throttle.check('someone-else', '192.0.2.9')).allowed).toBe(false);
    expect((await throttle.check('someone-else', '192.0.2.10')).allowed).toBe(true);
  });
});
