import { describe, expect, it } from 'vitest';
import { createHealth, type HealthOptions } from '../health.js';
import { healthMiddleware, type MiddlewareContext } from './fetch.js';

/** A context shaped like @plinth/http's, whose `request` throws when read. */
function context(target: string, method = 'GET', options: { request?: Request } = {}): MiddlewareContext {
  const query = target.indexOf('?');
  return {
    method,
    path: query === -1 ? target : target.slice(0, query),
    header: () => undefined,
    signal: new AbortController().signal,
    state: {},
    get request(): Request {
      if (options.request !== undefined) return options.request;
      throw new Error('the middleware read ctx.request');
    },
  };
}

const next = async () => new Response('app');

function middleware(options: HealthOptions = {}) {
  return healthMiddleware(createHealth({ started: true, ...options }));
}

describe('healthMiddleware', () => {
  it('passes other paths on without reading ctx.request', async () => {
    const response = await middleware()(context('/users/42?tab=posts', 'POST'), next);
    expect(await response.text()).toBe('app');
  });

  it("returns next()'s own promise for other paths, adding no promise of its own", () => {
    const pending = Promise.resolve(new Response('app'));
    expect(middleware()(context('/users/42'), () => pending)).toBe(pending);
  });

  it('answers a probe without reading ctx.request when verbose is off', async () => {
    const response = await middleware({ verbose: false })(context('/readyz?verbose'), next);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/health+json');
    expect(response.headers.get('content-length')).toBe('17');
    expect(await response.text()).toBe('{"status":"pass"}');
  });

  it('answers 405 problem+json with Allow and Content-Length without reading ctx.request', async () => {
    const response = await middleware()(context('/livez', 'DELETE'), next);
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, HEAD');
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    const body = await response.text();
    expect(response.headers.get('content-length')).toBe(String(Buffer.byteLength(body)));
    expect(JSON.parse(body)).toEqual({
      type: 'about:blank',
      title: 'Method Not Allowed',
      status: 405,
      detail: '/livez answers GET and HEAD only.',
      code: 'METHOD_NOT_ALLOWED',
    });
  });

  it('reads the query from ctx.request only on a health path when verbose may apply', async () => {
    const request = new Request('http://x/readyz?verbose');
    const response = await middleware({ verbose: true, service: { serviceId: 'api' } })(
      context('/readyz?verbose', 'GET', { request }),
      next,
    );
    expect(await response.json()).toMatchObject({ status: 'pass', serviceId: 'api', checks: {} });
  });

  it('answers HEAD with the GET body length and no body', async () => {
    const response = await middleware({ verbose: false })(context('/livez', 'HEAD'), next);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-length')).toBe('17');
    expect(await response.text()).toBe('');
  });

  it('answers 400 INVALID_QUERY for a verbose value it does not understand', async () => {
    const request = new Request('http://x/readyz?verbose=maybe');
    const response = await middleware({ verbose: true })(context('/readyz', 'GET', { request }), next);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ status: 400, code: 'INVALID_QUERY' });
  });
});
