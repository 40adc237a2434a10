// The seam with @plinth/http, proven against a hand-written object of the shape (no @plinth import):
// the binding calls `on(method, path, { meta }, handler)`, and definitions are RouteInfo entries.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { bindHttp, defineHandler } from '../src/index.js';

/** SEAMS §H, written out by hand. */
interface RouteInfo {
  method: string;
  path: string;
  meta: Readonly<Record<string, unknown>>;
}

const getThing = defineHandler({
  method: 'GET',
  path: '/things/:id',
  summary: 'A thing',
  schema: { params: z.object({ id: z.string() }), response: { 200: z.object({ id: z.string() }) } },
  handle: ({ params }) => ({ id: params.id }),
});

describe('the route seam', () => {
  it('registers each definition through on(method, path, { meta }, handler) and answers through the handler', async () => {
    const routes: RouteInfo[] = [];
    const handlers: Array<(ctx: never) => Promise<Response>> = [];
    const app = {
      on(
        method: string,
        path: string,
        options: { meta: Record<string, unknown> },
        handler: (ctx: never) => Promise<Response>,
      ) {
        routes.push({ method, path, meta: options.meta });
        handlers.push(handler);
        return this;
      },
    };
    bindHttp(app, [getThing]);
    expect(routes).toEqual([{ method: 'GET', path: '/things/:id', meta: getThing.meta }]);
    const request = new Request('http://x/things/7');
    const ctx = {
      method: 'GET',
      path: '/things/7',
      params: { id: '7' },
      signal: request.signal,
      request,
      header: (name: string) => request.headers.get(name) ?? undefined,
    };
    const response = await (handlers[0] as (ctx: unknown) => Promise<Response>)(ctx);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ id: '7' });
  });

  it('is itself a RouteInfo entry a route source can list', () => {
    const entry: RouteInfo = getThing;
    expect(entry.meta.summary).toBe('A thing');
    expect(Object.keys(entry.meta.schema as object)).toEqual(['params', 'response']);
  });
});
