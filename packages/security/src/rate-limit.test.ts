import { describe, expect, it } from 'vitest';
import { memoryStore } from './drivers/memory.js';
import type { SecurityError } from './errors.js';
import { createRateLimiter } from './rate-limit.js';
import type { RateLimitStore } from './store.js';

const start = 1_700_000_040_000;
const request = (
  peer: string,
  extra: { path?: string; routePath?: string; state?: object; headers?: Record<string, string> } = {},
) => ({
  method: 'GET',
  path: extra.path ?? '/',
  routePath: extra.routePath,
  peer,
  state: extra.state,
  header: (name: string) => extra.headers?.[name],
});
const headers = (pairs: ReadonlyArray<readonly [string, string]>) => Object.fromEntries(pairs);

describe('createRateLimiter', () => {
  it('sends RateLimit-Policy and RateLimit per draft -10, then 429 with Retry-After', async () => {
    let now = start;
    const limiter = createRateLimiter({
      store: memoryStore({ now: () => now }),
      policies: [{ name: 'default', limit: 2, windowMs: 60_000, algorithm: 'fixed-window' }],
    });
    const first = await limiter.check(request('192.0.2.1'));
    expect(first.allowed).toBe(true);
    expect(headers(first.headers)).toEqual({
      'ratelimit-policy': 'default;q=2;w=60',
      ratelimit: 'default;r=1;t=60',
    });
    now += 30_500;
    await limiter.check(request('192.0.2.1'));
    const denied = await limiter.check(request('192.0.2.1'));
    expect(denied.allowed).toBe(false);
    expect(headers(denied.headers)).toEqual({
      'ratelimit-policy': 'default;q=2;w=60',
      ratelimit: 'default;r=0;t=30',
      'retry-after': '30',
    });
    expect(denied.error).toMatchObject({
      status: 429,
      code: 'TOO_MANY_REQUESTS',
      expose: true,
      headers: { 'retry-after': '30' },
    });
  });

  it('applies several policies at once and names the one exceeded', async () => {
    const limiter = createRateLimiter({
      store: memoryStore({ now: () => start }),
      policies: [
        { name: 'burst', limit: 2, windowMs: 1_000, algorithm: 'token-bucket' },
        { name: 'daily', limit: 1_000, windowMs: 86_400_000, algorithm: 'fixed-window' },
      ],
    });
    const first = await limiter.check(request('192.0.2.1'));
    expect(headers(first.headers)).toEqual({
      'ratelimit-policy': 'burst;q=2;w=1, daily;q=1000;w=86400',
      ratelimit: 'burst;r=1;t=1, daily;r=999;t=6360', // the day window is aligned to epoch days
    });
    await limiter.check(request('192.0.2.1'));
    const denied = await limiter.check(request('192.0.2.1'));
    expect(denied.error?.message).toMatch(/"burst"/);
    expect(headers(denied.headers).ratelimit).toBe('burst;r=0;t=1, daily;r=998;t=6360');
  });

  it('keys IPv6 clients by /64 so rotating addresses does not dodge the limit', async () => {
    const limiter = createRateLimiter({
      store: memoryStore({ now: () => start }),
      policies: [{ name: 'default', limit: 2, windowMs: 60_000 }],
    });
    expect((await limiter.check(request('2001:db8:1:2::1'))).allowed).toBe(true);
    expect((await limiter.check(request('2001:db8:1:2::ffff'))).allowed).toBe(true);
    expect((await limiter.check(request('2001:db8:1:2:dead:beef:0:1'))).allowed).toBe(false);
    expect((await limiter.check(request('2001:db8:1:3::1'))).allowed).toBe(true);
  });

  it('keys by user (falling back to IP), by route, or by a function that may exempt', async () => {
    const store = memoryStore({ now: () => start });
    const byUser = createRateLimiter({
      store,
      key: 'user',
      user: (req) => (req.state as { user?: string } | undefined)?.user,
      policies: [{ name: 'user', limit: 1, windowMs: 60_000 }],
    });
    expect((await byUser.check(request('192.0.2.1', { state: { user: 'ada' } }))).allowed).toBe(true);
    expect((await byUser.check(request('192.0.2.2', { state: { user: 'ada' } }))).allowed).toBe(false);
    expect((await byUser.check(request('192.0.2.2'))).allowed).toBe(true);

    const byRoute = createRateLimiter({
      store,
      key: 'route',
      policies: [{ name: 'route', limit: 1, windowMs: 60_000 }],
    });
    expect(
      (await byRoute.check(request('192.0.2.1', { path: '/users/1', routePath: '/users/:id' }))).allowed,
    ).toBe(true);
    expect(
      (await byRoute.check(request('192.0.2.9', { path: '/users/2', routePath: '/users/:id' }))).allowed,
    ).toBe(false);

    const byTenant = createRateLimiter({
      store,
      key: (req) => req.header('x-tenant'),
      policies: [{ name: 'tenant', limit: 1, windowMs: 60_000 }],
    });
    await byTenant.check(request('192.0.2.1', { headers: { 'x-tenant': 't1' } }));
    expect((await byTenant.check(request('192.0.2.1', { headers: { 'x-tenant': 't1' } }))).allowed).toBe(
      false,
    );
    expect(await byTenant.check(request('192.0.2.1'))).toEqual({ allowed: true, headers: [] });
  });

  it('counts the forwarded client behind a trusted proxy', async () => {
    const limiter = createRateLimiter({
      store: memoryStore({ now: () => start }),
      clientIp: { proxies: ['loopback'], header: 'x-forwarded-for' },
      policies: [{ name: 'default', limit: 1, windowMs: 60_000 }],
    });
    expect(
      (await limiter.check(request('127.0.0.1', { headers: { 'x-forwarded-for': '192.0.2.1' } }))).allowed,
    ).toBe(true);
    expect(
      (await limiter.check(request('127.0.0.1', { headers: { 'x-forwarded-for': '192.0.2.2' } }))).allowed,
    ).toBe(true);
    expect(
      (await limiter.check(request('127.0.0.1', { headers: { 'x-forwarded-for': '6.6.6.6, 192.0.2.1' } })))
        .allowed,
    ).toBe(false);
  });

  it('warns once when requests look proxied but no proxies are trusted', async () => {
    const warnings: SecurityError[] = [];
    const limiter = createRateLimiter({
      store: memoryStore({ now: () => start }),
      policies: [{ name: 'default', limit: 100, windowMs: 60_000 }],
      onWarning: (warning) => warnings.push(warning),
    });
    await limiter.check(request('127.0.0.1'));
    expect(warnings).toHaveLength(0);
    await limiter.check(request('127.0.0.1', { headers: { 'x-forwarded-for': '192.0.2.1' } }));
    await limiter.check(request('127.0.0.1', { headers: { 'x-forwarded-for': '192.0.2.2' } }));
    expect(warnings.map((warning) => warning.code)).toEqual(['ERR_SECURITY_PROXY_MISCONFIGURED']);
    expect(warnings[0]!.message).toMatch(/clientIp: \{ proxies/);
  });

  const failingStore: RateLimitStore = {
    name: 'broken',
    remote: true,
    consume: () => Promise.reject(new Error('ECONNREFUSED 127.0.0.1:1')),
    reset: () => Promise.resolve(),
    close: () => Promise.resolve(),
  };

  it('a throwing key function rejects the check (a 500 for the adapter), it does not count as a store failure', async () => {
    const errors: unknown[] = [];
    const limiter = createRateLimiter({
      store: memoryStore(),
      key: () => {
        throw new Error('bug in key');
      },
      onStoreError: (error) => errors.push(error),
      policies: [{ name: 'default', limit: 1, windowMs: 1_000 }],
    });
    await expect(limiter.check(request('192.0.2.1'))).rejects.toThrow('bug in key');
    expect(errors).toHaveLength(0);
  });

  it('requires a stated whenStoreFails for a remote store', () => {
    try {
      createRateLimiter({ store: failingStore, policies: [{ name: 'default', limit: 1, windowMs: 1_000 }] });
      expect.unreachable();
    } catch (error) {
      expect((error as SecurityError).code).toBe('ERR_SECURITY_INVALID_OPTION');
      expect((error as Error).message).toMatch(/whenStoreFails/);
    }
  });

  it('fails open or closed as chosen, reporting the store error', async () => {
    const errors: unknown[] = [];
    const open = createRateLimiter({
      store: failingStore,
      whenStoreFails: 'open',
      onStoreError: (error) => errors.push(error),
      policies: [{ name: 'default', limit: 1, windowMs: 1_000 }],
    });
    expect(await open.check(request('192.0.2.1'))).toEqual({ allowed: true, headers: [] });
    expect(errors).toHaveLength(1);
    const closed = createRateLimiter({
      store: failingStore,
      whenStoreFails: 'closed',
      policies: [{ name: 'default', limit: 1, windowMs: 1_000 }],
    });
    const decision = await closed.check(request('192.0.2.1'));
    expect(decision.error).toMatchObject({
      status: 503,
      code: 'RATE_LIMIT_UNAVAILABLE',
      headers: { 'retry-after': '1' },
    });
    expect(decision.error?.message).not.toContain('ECONNREFUSED');
  });

  it.each([
    [{ policies: [] }, /at least one/],
    [{ policies: [{ name: 'bad name', limit: 1, windowMs: 1 }] }, /token/],
    [{ policies: [{ name: 'a', limit: 0, windowMs: 1 }] }, /limit/],
    [
      {
        policies: [
          { name: 'a', limit: 1, windowMs: 1 },
          { name: 'a', limit: 1, windowMs: 1 },
        ],
      },
      /named "a"/,
    ],
    [{ policies: [{ name: 'a', limit: 1, windowMs: 1, algorithm: 'leaky' }] }, /algorithm/],
    [{ key: 'user', policies: [{ name: 'a', limit: 1, windowMs: 1 }] }, /user option/],
  ])('refuses bad options at start: %j', (options, message) => {
    expect(() => createRateLimiter({ store: memoryStore(), ...(options as object) } as never)).toThrowError(
      message,
    );
  });
});
