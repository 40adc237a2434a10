// Methods no WHATWG Request can carry (TRACE, TRACK, CONNECT, odd tokens) answer 405 with Allow where
// the path has routes and 501 elsewhere, without running middleware that might read ctx.request.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createApp, json } from '../src/index.js';
import { type RunningServer, serve } from '../src/node.js';
import { rawRequest } from './raw-http.js';

describe('unbuildable methods over serve()', () => {
  let server: RunningServer;
  let middlewareRuns = 0;

  beforeAll(async () => {
    // The default onError logs 5xx (the 501 here) with console.error.
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const app = createApp();
    // Middleware of the kind that builds the Request (a logger reading ctx.request.url).
    app.use(async (ctx, next) => {
      middlewareRuns++;
      void ctx.request.url;
      return next();
    });
    app.get('/users/:id', (ctx) => json({ id: ctx.params.id }));
    server = await serve(app, { port: 0, hostname: '127.0.0.1' });
  });

  afterAll(async () => {
    await server.close({ timeout: 1000 });
    vi.restoreAllMocks();
  });

  const send = (method: string, target: string) =>
    rawRequest(server.port, `${method} ${target} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`);

  it('answers TRACE on a routed path with 405 and Allow', async () => {
    const answer = await send('TRACE', '/users/1');
    expect(answer.status).toBe(405);
    expect(answer.text).toMatch(/\r\nallow: GET, HEAD, OPTIONS\r\n/i);
    expect(answer.text).toContain('"code":"METHOD_NOT_ALLOWED"');
  });

  it('answers TRACE elsewhere with 501 NOT_IMPLEMENTED', async () => {
    const answer = await send('TRACE', '/nowhere');
    expect(answer.status).toBe(501);
    expect(answer.text).toContain('"code":"NOT_IMPLEMENTED"');
    expect(answer.text).toMatch(/\r\ncontent-type: application\/problem\+json\r\n/i);
  });

  it('does not run middleware for them, and still does for ordinary methods', async () => {
    const before = middlewareRuns;
    await send('TRACE', '/users/1');
    expect(middlewareRuns).toBe(before);
    expect((await send('GET', '/users/1')).status).toBe(200);
    expect(middlewareRuns).toBe(before + 1);
  });
});
