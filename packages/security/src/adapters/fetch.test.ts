import { describe, expect, it } from 'vitest';
import { frozenClock } from '../../test/support/clock.js';
import { createClientIp } from '../client-ip.js';
import type { MiddlewareContext } from '../context.js';
import { memoryStore } from '../drivers/memory.js';
import type { SecurityError, SecurityHttpError } from '../errors.js';
import { cors, csrf, rateLimit, secureHeaders } from './fetch.js';

/** A fetch context as @plinth/http makes one; `remoteAddress` only when the host knows the peer. */
function context(
  options: { method?: string; path?: string; headers?: Record<string, string>; remoteAddress?: string } = {},
  reads: string[] = [],
): MiddlewareContext {
  const headers = options.headers ?? {};
  let state: object | undefined;
  const ctx = {
    method: options.method ?? 'GET',
    path: options.path ?? '/',
    header: (name: string) => headers[name.toLowerCase()],
    signal: new AbortController().signal,
    get request(): Request {
      reads.push('request');
      return new Request('http://localhost/');
    },
    get state(): object {
      reads.push('state');
      state ??= {};
      return state;
    },
  };
  if ('remoteAddress' in options) Object.assign(ctx, { remoteAddress: options.remoteAddress });
  return ctx;
}

const ok = () => Promise.resolve(new Response('ok'));
const policies = [{ name: 'default', limit: 1, windowMs: 60_000, algorithm: 'fixed-window' as const }];

/** The status a middleware call ends in: the response's, or the thrown error's. */
async function statusOf(answer: Promise<Response>): Promise<number> {
  try {
    return (await answer).status;
  } catch (error) {
    return (error as SecurityHttpError).status;
  }
}

describe('fetch rateLimit and the context remoteAddress', () => {
  it('keys by ctx.remoteAddress when no peer option is given', async () => {
    const limit = rateLimit({ store: memoryStore(frozenClock), policies });
    expect(await statusOf(limit(context({ remoteAddress: '192.0.2.1' }), ok))).toBe(200);
    expect(await statusOf(limit(context({ remoteAddress: '192.0.2.1' }), ok))).toBe(429);
    expect(await statusOf(limit(context({ remoteAddress: '192.0.2.2' }), ok))).toBe(200);
  });

  it('gives key functions the client resolved from remoteAddress', async () => {
    const seen: Array<[string | undefined, string | undefined]> = [];
    const limit = rateLimit({
      store: memoryStore(frozenClock),
      policies,
      key: (request) => {
        seen.push([request.peer, request.client.key]);
        return request.client.key ?? 'unknown';
      },
    });
    await limit(context({ remoteAddress: '2001:db8:1:2::7' }), ok);
    expect(seen).toEqual([['2001:db8:1:2::7', '2001:db8:1:2::/64']]);
  });

  it('believes X-Forwarded-For only when remoteAddress is a trusted proxy', async () => {
    const keys: Array<string | undefined> = [];
    const limit = rateLimit({
      store: memoryStore(frozenClock),
      policies: [{ name: 'default', limit: 100, windowMs: 60_000 }],
      clientIp: { proxies: ['loopback'], header: 'x-forwarded-for' },
      key: (request) => {
        keys.push(request.client.key);
        return request.client.key;
      },
    });
    const forwarded = { 'x-forwarded-for': '198.51.100.1, 203.0.113.9' };
    await limit(context({ remoteAddress: '127.0.0.1', headers: forwarded }), ok);
    await limit(context({ remoteAddress: '192.0.2.50', headers: forwarded }), ok);
    expect(keys).toEqual(['203.0.113.9', '192.0.2.50']);
  });

  it('lets the peer option win over remoteAddress', async () => {
    const keys: Array<string | undefined> = [];
    const limit = rateLimit({
      store: memoryStore(frozenClock),
      policies,
      peer: () => '198.51.100.20',
      key: (request) => {
        keys.push(request.client.key);
        return request.client.key;
      },
    });
    await limit(context({ remoteAddress: '192.0.2.1' }), ok);
    expect(keys).toEqual(['198.51.100.20']);
  });

  it('does not limit by IP when the host has remoteAddress but no peer (in-process), as before', async () => {
    const limit = rateLimit({ store: memoryStore(frozenClock), policies });
    const statuses = [];
    for (let index = 0; index < 3; index++)
      statuses.push(await statusOf(limit(context({ remoteAddress: undefined }), ok)));
    expect(statuses).toEqual([200, 200, 200]);
  });

  it('refuses an IP-keyed request on a host whose context has no remoteAddress and no peer option', async () => {
    const limit = rateLimit({ store: memoryStore(frozenClock), policies });
    await expect(limit(context(), ok)).rejects.toMatchObject({
      code: 'ERR_SECURITY_INVALID_OPTION',
      message: expect.stringMatching(/peer/),
    } satisfies Partial<SecurityError>);
    // Keyed otherwise, the limiter needs no peer and works on such a host.
    const byRoute = rateLimit({ store: memoryStore(frozenClock), policies, key: 'route' });
    expect(await statusOf(byRoute(context(), ok))).toBe(200);
    expect(await statusOf(byRoute(context(), ok))).toBe(429);
  });

  it('a skipped request sees the peer, reaches next, gets no headers and counts nowhere', async () => {
    let calls = 0;
    const store = memoryStore(frozenClock);
    const consume = store.consume.bind(store);
    store.consume = (requests) => {
      calls++;
      return consume(requests);
    };
    const peers: Array<string | undefined> = [];
    const reads: string[] = [];
    const limit = rateLimit({
      store,
      policies,
      skip: (request) => {
        peers.push(request.peer);
        return request.method === 'GET';
      },
    });
    const response = await limit(context({ remoteAddress: '192.0.2.1' }, reads), ok);
    expect(response.headers.get('ratelimit')).toBeNull();
    expect(peers).toEqual(['192.0.2.1']);
    expect(calls).toBe(0);
    expect(reads).toEqual([]);
    expect(await statusOf(limit(context({ method: 'POST', remoteAddress: '192.0.2.1' }), ok))).toBe(200);
    expect(calls).toBe(1);
  });

  it('a throwing skip rejects the call rather than throwing at the caller', async () => {
    const limit = rateLimit({
      store: memoryStore(frozenClock),
      policies,
      skip: () => {
        throw new Error('skip broke');
      },
    });
    let answer: Promise<Response> | undefined;
    expect(() => {
      answer = limit(context({ remoteAddress: '192.0.2.1' }), ok);
    }).not.toThrow();
    await expect(answer).rejects.toThrow('skip broke');
  });
});

describe('createClientIp with a fetch context', () => {
  it('resolves a context by its remoteAddress, a view by its peer first', () => {
    const clientIp = createClientIp({ proxies: ['loopback'], header: 'x-forwarded-for' });
    const headers = { 'x-forwarded-for': '203.0.113.9' };
    expect(clientIp.resolve(context({ remoteAddress: '127.0.0.1', headers })).key).toBe('203.0.113.9');
    expect(clientIp.resolve(context({ remoteAddress: '192.0.2.8', headers })).key).toBe('192.0.2.8');
    expect(clientIp.resolve(context({ headers })).key).toBeUndefined();
    const view = { header: (name: string) => headers[name as keyof typeof headers], peer: '192.0.2.9' };
    expect(clientIp.resolve({ ...view, remoteAddress: '127.0.0.1' }).key).toBe('192.0.2.9');
  });
});

describe('the no-op paths', () => {
  it('a GET through csrf and a fast response through secureHeaders read neither ctx.request nor ctx.state', async () => {
    const reads: string[] = [];
    const response = await csrf()(context({}, reads), () => secureHeaders()(context({}, reads), ok));
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(reads).toEqual([]);
  });

  it('csrf still refuses a cross-site POST, and rejects rather than throwing', async () => {
    const answer = csrf()(context({ method: 'POST', headers: { 'sec-fetch-site': 'cross-site' } }), ok);
    await expect(answer).rejects.toMatchObject({ status: 403, code: 'CSRF_ORIGIN_REJECTED' });
  });

  it('a next() that throws synchronously rejects, its error carrying the secure and CORS headers', async () => {
    const throwing = () => {
      throw Object.assign(new Error('handler broke'), { status: 500 });
    };
    const origin = { origin: 'https://app.example.com' };
    const answer = cors({ origin: 'https://app.example.com' })(context({ headers: origin }), () =>
      secureHeaders()(context({ headers: origin }), throwing),
    );
    const error = (await answer.catch((caught: unknown) => caught)) as { headers: Record<string, string> };
    expect(error.headers['x-content-type-options']).toBe('nosniff');
    expect(error.headers['access-control-allow-origin']).toBe('https://app.example.com');
  });
});
