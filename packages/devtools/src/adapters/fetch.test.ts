import { afterEach, describe, expect, it, vi } from 'vitest';
import type { MiddlewareContext } from '../middleware-context.js';
import { profilingEndpoints } from '../profile-triggers.js';
import { devErrorPage, openApi, serverTiming, timed } from './fetch.js';

/** A context that counts reads of `ctx.request` (the house rule: never on the hot path). */
function context(path: string, headers: Record<string, string> = {}, method = 'GET') {
  let requestReads = 0;
  const ctx: MiddlewareContext & { readonly requestReads: number } = {
    method,
    path,
    header: (name) => headers[name.toLowerCase()],
    signal: new AbortController().signal,
    get request() {
      requestReads++;
      return new Request(`http://app.test${path}`, { method, headers });
    },
    state: {},
    routePath: path,
    get requestReads() {
      return requestReads;
    },
  };
  return ctx;
}

const source = [{ method: 'GET', path: '/items', meta: {} }];

describe('fetch middleware on the hot path', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('passes other requests through openApi() as next()’s own promise, without reading ctx.request', async () => {
    const ctx = context('/items');
    const rest = Promise.resolve(new Response('items'));
    expect(openApi({ source, info: { title: 'T', version: '1' } })(ctx, () => rest)).toBe(rest);
    const served = await openApi({ source, info: { title: 'T', version: '1' } })(
      context('/openapi.json'),
      () => Promise.reject(new Error('not next')),
    );
    expect(served.status).toBe(200);
    expect(ctx.requestReads).toBe(0);
  });

  it('times a request with serverTiming() and timed() without reading ctx.request', async () => {
    vi.stubEnv('NODE_ENV', 'development');
    const ctx = context('/items');
    const timing = serverTiming({ header: true });
    const auth = timed('auth', (_ctx, next) => next());
    const response = await timing(ctx, () => auth(ctx, async () => new Response('items')));
    expect(response.headers.get('server-timing')).toMatch(/auth;dur=/);
    expect(ctx.requestReads).toBe(0);
  });

  it('reads ctx.request in devErrorPage() only to render a server error for a browser', async () => {
    vi.stubEnv('NODE_ENV', 'development');
    const page = devErrorPage();
    const passing = context('/items');
    expect(await (await page(passing, async () => new Response('items'))).text()).toBe('items');
    expect(passing.requestReads).toBe(0);

    const api = context('/items', { accept: 'application/json' });
    await expect(page(api, () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(api.requestReads).toBe(0);

    const browser = context('/items', { accept: 'text/html' });
    const answer = await page(browser, () => Promise.reject(new Error('boom')));
    expect(answer.status).toBe(500);
    expect(await answer.text()).toContain('http://app.test/items');
    expect(browser.requestReads).toBeGreaterThan(0);
  });

  it('turns a next() that throws synchronously into the error page too', async () => {
    vi.stubEnv('NODE_ENV', 'development');
    const answer = await devErrorPage()(context('/items', { accept: 'text/html' }), () => {
      throw new Error('sync boom');
    });
    expect(answer.status).toBe(500);
  });

  it('passes other requests through profilingEndpoints() and refuses without its header, without reading ctx.request', async () => {
    vi.stubEnv('NODE_ENV', 'development');
    const endpoints = profilingEndpoints();
    const other = context('/items');
    const rest = Promise.resolve(new Response('items'));
    expect(endpoints(other, () => rest)).toBe(rest);
    const refused = context('/__devtools/cpu-profile', {}, 'POST');
    expect((await endpoints(refused, () => rest)).status).toBe(403);
    expect(other.requestReads + refused.requestReads).toBe(0);
  });
});
