// Real Express 5: the route list with describeRoute metadata (mounted routers followed), the OpenAPI
// endpoints under a mount path, Server-Timing, the development error page and profiling.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import {
  describeRoute,
  expressDevErrorPage,
  expressOpenApi,
  expressProfiling,
  expressRoutes,
  expressServerTiming,
  expressTimed,
} from '../src/express.js';
import { generateOpenApi } from '../src/index.js';
import { expectValidOpenApi } from './support/openapi-validator.js';

const profiles = mkdtempSync(join(tmpdir(), 'devtools-profiles-'));
const Thing = z.object({ id: z.string(), label: z.string() }).meta({ id: 'Thing' });
const logged: Array<Record<string, unknown>> = [];

function buildApp() {
  const app = express();
  app.use(
    expressServerTiming({
      header: true,
      slowThreshold: 0,
      logger: { warn: (record) => logged.push(record) },
    }),
  );
  app.use(
    '/meta',
    expressOpenApi({ source: expressRoutes(app), info: { title: 'Things', version: '2.0.0' } }),
  );
  app.use(expressProfiling({ dir: profiles }));
  app.use(
    expressTimed('auth', (req, _res, next) => {
      if (req.get('x-deny') === 'yes') return next(Object.assign(new Error('Denied.'), { status: 403 }));
      next();
    }),
  );
  const v1 = express.Router();
  v1.get(
    '/things/:id',
    describeRoute({
      summary: 'One thing',
      tags: ['things'],
      schema: { params: z.object({ id: z.string() }), response: { 200: Thing } },
    }),
    async (req, res) => {
      await new Promise((resolve) => setTimeout(resolve, 40));
      res.json({ id: req.params.id, label: 'Lamp' });
    },
  );
  v1.post(
    '/things',
    describeRoute({ schema: { body: Thing.omit({ id: true }), response: { 201: Thing } } }),
    (_req, res) => {
      res.status(201).json({ id: '1', label: 'Lamp' });
    },
  );
  app.use('/api/v1', v1);
  app.all('/echo', describeRoute({ summary: 'Echo' }), (_req, res) => {
    res.json({});
  });
  app.get('/boom', () => {
    throw new Error('the cache melted');
  });
  app.use(expressDevErrorPage());
  return app;
}

let server: Server;
let base: string;
beforeAll(async () => {
  server = buildApp().listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  rmSync(profiles, { recursive: true, force: true });
});

describe('expressRoutes', () => {
  it('lists the routes of mounted routers with their describeRoute metadata', async () => {
    const routes = [
      ...(expressRoutes(buildApp()) as { routes: Iterable<{ method: string; path: string }> }).routes,
    ];
    expect(routes.map((route) => `${route.method} ${route.path}`)).toEqual([
      'GET /api/v1/things/:id',
      'POST /api/v1/things',
      // app.all(): the methods @plinth/http's all() stands for, not the 35 node knows
      'GET /echo',
      'POST /echo',
      'PUT /echo',
      'PATCH /echo',
      'DELETE /echo',
      'OPTIONS /echo',
      'GET /boom',
    ]);
    const document = generateOpenApi(expressRoutes(buildApp()));
    await expectValidOpenApi(document);
    expect(document.paths['/api/v1/things/{id}']!.get).toMatchObject({
      summary: 'One thing',
      tags: ['things'],
    });
  });
});

describe('expressRoutes with routers mounted at /notes', () => {
  it("names a router's '/' route by its mount path, with or without the mount's trailing slash", async () => {
    const app = express();
    const slow: Array<Record<string, unknown>> = [];
    app.use(expressServerTiming({ slowThreshold: 0, logger: { warn: (record) => slow.push(record) } }));
    for (const mount of ['/notes', '/drafts/']) {
      const router = express.Router();
      router.get('/', (_req, res) => void res.json(['a note']));
      router.get('/:id', (req, res) => void res.json({ id: req.params.id }));
      app.use(mount, router);
    }
    const document = generateOpenApi(expressRoutes(app));
    await expectValidOpenApi(document);
    expect(Object.keys(document.paths)).toEqual(['/notes', '/notes/{id}', '/drafts', '/drafts/{id}']);
    // What Express 5 serves: the mount path with or without '/', and the routes under it with one '/'.
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const statusOf = async (path: string) => {
      const answer = await fetch(origin + path);
      await answer.arrayBuffer();
      return answer.status;
    };
    try {
      for (const path of ['/notes', '/notes/', '/notes/1', '/drafts', '/drafts/', '/drafts/1'])
        expect(await statusOf(path), path).toBe(200);
      expect(await statusOf('/drafts//1')).toBe(404);
      // The slow-request log names the route as the document does.
      await vi.waitFor(() => expect(slow).toHaveLength(7));
      const routes = slow.map((record) => record.route).filter((route) => route !== undefined);
      expect(routes.sort()).toEqual(['/drafts', '/drafts', '/drafts/:id', '/notes', '/notes', '/notes/:id']);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('expressOpenApi', () => {
  it('serves the document and the docs page under the mount path', async () => {
    const response = await fetch(`${base}/meta/openapi.json`);
    expect(response.status).toBe(200);
    const document = await response.json();
    await expectValidOpenApi(document);
    expect(Object.keys((document as { paths: object }).paths)).toEqual([
      '/api/v1/things/{id}',
      '/api/v1/things',
      '/echo',
      '/boom',
    ]);
    const page = await fetch(`${base}/meta/docs`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('data-openapi-url="/meta/openapi.json"');
    const bundle = html.match(/src="([^"]+swagger-ui-bundle\.js)"/)![1]!;
    expect(bundle.startsWith('/meta/docs/assets/')).toBe(true);
    const script = await fetch(base + bundle);
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(script.headers.get('cache-control')).toContain('immutable');
  });
});

describe('expressServerTiming', () => {
  it('reports the timed middleware, the handler and the total, and logs slow requests', async () => {
    logged.length = 0;
    const response = await fetch(`${base}/api/v1/things/3`);
    expect(response.status).toBe(200);
    const header = response.headers.get('server-timing')!;
    expect(header).toMatch(/^auth;dur=[\d.]+, handler;dur=[\d.]+, total;dur=[\d.]+$/);
    const durations = Object.fromEntries(
      header.split(', ').map((part) => [part.split(';')[0], Number(part.split('dur=')[1])]),
    );
    expect(durations.handler!).toBeGreaterThan(durations.auth!);
    await vi.waitFor(() => expect(logged).toHaveLength(1)); // 'finish' may come after the client has the body
    expect(logged[0]).toMatchObject({
      method: 'GET',
      path: '/api/v1/things/3',
      route: '/api/v1/things/:id',
      status: 200,
    });
  });
});

describe('expressDevErrorPage', () => {
  it('renders the page for a browser and leaves JSON clients and production alone', async () => {
    logged.length = 0;
    const page = await fetch(`${base}/boom`, {
      headers: { accept: 'text/html', cookie: 'sid=secret-session' },
    });
    expect(page.status).toBe(500);
    const html = await page.text();
    expect(html).toContain('Error: the cache melted');
    expect(html).toContain('Development error page from @plinth/devtools');
    expect(html).toMatch(/at .*express\.test\.ts/);
    expect(html).not.toContain('secret-session');
    expect(html).toContain('<tr><th>route</th><td>/boom</td></tr>');
    const api = await fetch(`${base}/boom`, { headers: { accept: 'application/json' } });
    expect(api.status).toBe(500);
    expect(await api.text()).not.toContain('@plinth/devtools'); // Express's own handler answered
    // Also once the error has left the router (Express's handler answered), the log names the route.
    await vi.waitFor(() => expect(logged.filter((record) => record.path === '/boom')).toHaveLength(2));
    expect(logged.filter((record) => record.path === '/boom').map((record) => record.route)).toEqual([
      '/boom',
      '/boom',
    ]);
    const previous = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      const production = await fetch(`${base}/boom`, { headers: { accept: 'text/html' } });
      expect(production.status).toBe(500);
      expect(await production.text()).not.toContain('@plinth/devtools');
    } finally {
      process.env.NODE_ENV = previous;
    }
  });
});

describe('expressProfiling', () => {
  it('writes a CPU profile on the guarded endpoint', async () => {
    const response = await fetch(`${base}/__devtools/cpu-profile?duration=50`, {
      method: 'POST',
      headers: { 'x-plinth-devtools': '1' },
    });
    expect(response.status).toBe(201);
    const { file } = (await response.json()) as { file: string };
    expect(JSON.parse(readFileSync(file, 'utf8'))).toHaveProperty('nodes');
  });
});
