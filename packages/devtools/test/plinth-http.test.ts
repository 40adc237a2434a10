// A real @plinth/http app: its `app.routes` is a RouteSource with no glue, and the fetch-style
// middleware serve the document, the docs page, Server-Timing and the development error page.
import { createApp, HttpError, json } from '@plinth/http';
import { type RunningServer, serve } from '@plinth/http/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { devErrorPage, generateOpenApi, openApi, serverTiming, timed } from '../src/index.js';
import { expectValidOpenApi } from './support/openapi-validator.js';

const Item = z.object({ id: z.string(), name: z.string() }).meta({ id: 'Item' });
const logged: Array<Record<string, unknown>> = [];

function buildApp() {
  const app = createApp();
  app.use(devErrorPage());
  app.use(
    serverTiming({ header: true, slowThreshold: 0, logger: { warn: (record) => logged.push(record) } }),
  );
  app.use(openApi({ source: app, info: { title: 'Items', version: '1.0.0' } }));
  app.use(
    timed('auth', async (ctx, next) => {
      if (ctx.header('x-deny') === 'yes') throw new HttpError(403, 'Denied.');
      return next();
    }),
  );
  app.get(
    '/items/:id',
    {
      meta: {
        summary: 'One item',
        tags: ['items'],
        schema: { params: z.object({ id: z.string() }), response: { 200: Item, 404: {} } },
      },
    },
    async (ctx) => {
      await new Promise((resolve) => setTimeout(resolve, 40));
      return json({ id: ctx.params.id, name: 'Lamp' });
    },
  );
  app.post('/items', { meta: { schema: { body: Item.omit({ id: true }), response: { 201: Item } } } }, () =>
    json({ id: '1', name: 'Lamp' }, { status: 201 }),
  );
  app.get('/boom', () => {
    throw new Error('the database melted', { cause: new Error('ECONNRESET on 10.0.0.7') });
  });
  app.get('/missing', () => {
    throw new HttpError(404, 'No such thing.');
  });
  return app;
}

let server: RunningServer;
beforeAll(async () => {
  server = await serve(buildApp(), { port: 0, hostname: '127.0.0.1' });
});
afterAll(() => server.close());

describe('a @plinth/http app as the RouteSource', () => {
  it('app.routes describes itself with no glue code', async () => {
    const app = buildApp();
    const document = generateOpenApi(app, { info: { title: 'Items', version: '1.0.0' } });
    await expectValidOpenApi(document);
    expect(Object.keys(document.paths)).toEqual(['/items/{id}', '/items', '/boom', '/missing']);
    expect(document.paths['/items/{id}']!.get).toMatchObject({ summary: 'One item', tags: ['items'] });
    expect(document.components.schemas!.Item).toBeDefined();
  });

  it('serves /openapi.json with the routes registered after the middleware', async () => {
    const response = await fetch(`${server.url}/openapi.json`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const document = (await response.json()) as { paths: Record<string, unknown> };
    await expectValidOpenApi(document);
    expect(Object.keys(document.paths)).toContain('/items/{id}');
  });

  it('serves /docs with a strict CSP and its assets from our own routes', async () => {
    const page = await fetch(`${server.url}/docs`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await page.text();
    expect(html).toContain('data-openapi-url="/openapi.json"');
    expect(html).not.toMatch(/https?:\/\//); // nothing from a CDN
    const scripts = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1]!);
    expect(scripts.length).toBe(4);
    for (const asset of scripts) {
      const answer = await fetch(server.url + asset);
      expect(answer.status, asset).toBe(200);
      expect((await answer.arrayBuffer()).byteLength, asset).toBeGreaterThan(100);
    }
  });
});

describe('Server-Timing on @plinth/http', () => {
  it('reports each timed middleware, the handler and the total', async () => {
    logged.length = 0;
    const response = await fetch(`${server.url}/items/7`);
    expect(response.status).toBe(200);
    const header = response.headers.get('server-timing')!;
    expect(header).toMatch(/^handler;dur=[\d.]+, auth;dur=[\d.]+, total;dur=[\d.]+$/);
    const durations = Object.fromEntries(
      header.split(', ').map((part) => [part.split(';')[0], Number(part.split('dur=')[1])]),
    );
    // auth's own time excludes the 40 ms handler it awaited
    expect(durations.handler!).toBeGreaterThan(durations.auth!);
    expect(durations.handler! + durations.auth!).toBeLessThanOrEqual(durations.total! + 0.01);
  });

  it('logs a request slower than the threshold with its timings and route', async () => {
    logged.length = 0;
    await fetch(`${server.url}/items/8`);
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({
      method: 'GET',
      path: '/items/8',
      route: '/items/:id',
      status: 200,
      threshold: 0,
      timings: { auth: expect.any(Number), handler: expect.any(Number) },
    });
  });
});

describe('the development error page on @plinth/http', () => {
  it('answers a browser with the stack, the cause and the request, secrets redacted', async () => {
    const response = await fetch(`${server.url}/boom?x=1`, {
      headers: { accept: 'text/html', authorization: 'Bearer hunter2', 'x-trace': 'abc' },
    });
    expect(response.status).toBe(500);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = await response.text();
    expect(html).toContain('Error: the database melted');
    expect(html).toContain('ECONNRESET on 10.0.0.7');
    expect(html).toMatch(/at .*plinth-http\.test\.ts/);
    expect(html).toContain('/boom?x=1');
    expect(html).toContain('/boom</td>');
    expect(html).toContain('abc');
    expect(html).not.toContain('hunter2');
  });

  it('leaves API clients and 4xx errors to the problem+json handler', async () => {
    const api = await fetch(`${server.url}/boom`, { headers: { accept: 'application/json' } });
    expect(api.status).toBe(500);
    expect(api.headers.get('content-type')).toBe('application/problem+json');
    expect(await api.text()).not.toContain('melted');
    const notFound = await fetch(`${server.url}/missing`, { headers: { accept: 'text/html' } });
    expect(notFound.status).toBe(404);
    expect(notFound.headers.get('content-type')).toBe('application/problem+json');
  });

  it('never appears when NODE_ENV=production, set before or after the app was built', async () => {
    const previous = process.env.NODE_ENV;
    try {
      process.env.NODE_ENV = 'production';
      const built = await serve(buildApp(), { port: 0, hostname: '127.0.0.1' });
      try {
        for (const url of [`${built.url}/boom`, `${server.url}/boom`]) {
          const response = await fetch(url, { headers: { accept: 'text/html' } });
          expect(response.status).toBe(500);
          expect(response.headers.get('content-type')).toBe('application/problem+json');
          expect(await response.text()).not.toContain('melted');
        }
      } finally {
        await built.close();
      }
    } finally {
      process.env.NODE_ENV = previous;
    }
  });
});
