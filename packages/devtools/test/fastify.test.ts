// Real Fastify 5: routes described by their own `schema` (zod through a Standard Schema validator
// compiler, and plain JSON Schema with Fastify's ajv), the OpenAPI endpoints, Server-Timing per
// lifecycle phase, the development error page and profiling.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import {
  collectFastifyRoutes,
  fastifyDevErrorPage,
  fastifyOpenApi,
  fastifyProfiling,
  fastifyServerTiming,
} from '../src/fastify.js';
import { generateOpenApi, type StandardSchemaV1 } from '../src/index.js';
import { expectValidOpenApi } from './support/openapi-validator.js';

const profiles = mkdtempSync(join(tmpdir(), 'devtools-profiles-'));
const Pet = z.object({ id: z.number().int(), name: z.string() }).meta({ id: 'Pet' });
const logged: Array<Record<string, unknown>> = [];

async function buildApp(): Promise<FastifyInstance> {
  // forceCloseConnections: close() must not wait for a keep-alive socket of the test's fetch client.
  const app = Fastify({ forceCloseConnections: true });
  // What @plinth/validation's compilers do, reduced: validate with the Standard Schema.
  app.setValidatorCompiler(({ schema }) => (data) => {
    const result = (schema as StandardSchemaV1)['~standard'].validate(data) as {
      value?: unknown;
      issues?: unknown[];
    };
    return result.issues ? { error: new Error('invalid input') } : { value: result.value };
  });
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
  await app.register(fastifyServerTiming, {
    header: true,
    slowThreshold: 0,
    logger: { warn: (record: Record<string, unknown>) => logged.push(record) },
  });
  await app.register(fastifyOpenApi, {
    info: { title: 'Pets', version: '3.0.0' },
    securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
  });
  await app.register(fastifyDevErrorPage);
  await app.register(fastifyProfiling, { dir: profiles });
  app.get(
    '/pets/:id',
    {
      schema: {
        summary: 'One pet',
        tags: ['pets'],
        security: [{ bearer: [] }],
        params: z.object({ id: z.coerce.number().int() }),
        response: { 200: Pet },
      },
    } as never,
    async (request) => {
      await new Promise((resolve) => setTimeout(resolve, 40));
      return { id: (request.params as { id: number }).id, name: 'Rex' };
    },
  );
  app.post(
    '/pets',
    { schema: { body: Pet.omit({ id: true }), response: { 201: Pet } } } as never,
    async (_request, reply) => reply.code(201).send({ id: 1, name: 'Rex' }),
  );
  app.get('/boom', async () => {
    throw new Error('the kennel melted');
  });
  await app.ready();
  return app;
}

let app: FastifyInstance;
let base: string;
beforeAll(async () => {
  app = await buildApp();
  base = await app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(async () => {
  await app.close();
  rmSync(profiles, { recursive: true, force: true });
});

describe('fastifyOpenApi', () => {
  it('describes each route from its own schema, without its HEAD twin or our own routes', async () => {
    const response = await fetch(`${base}/openapi.json`);
    expect(response.status).toBe(200);
    const document = (await response.json()) as { paths: Record<string, Record<string, unknown>> };
    await expectValidOpenApi(document);
    expect(Object.keys(document.paths)).toEqual(['/pets/{id}', '/pets', '/boom']);
    expect(Object.keys(document.paths['/pets/{id}']!)).toEqual(['get']);
    expect(document.paths['/pets/{id}']!.get).toMatchObject({
      summary: 'One pet',
      tags: ['pets'],
      security: [{ bearer: [] }],
      parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer' } }],
      responses: {
        200: { content: { 'application/json': { schema: { $ref: '#/components/schemas/Pet' } } } },
      },
    });
  });

  it('serves the docs page and its assets', async () => {
    const page = await fetch(`${base}/docs`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = await page.text();
    for (const asset of html.matchAll(/(?:src|href)="([^"]+)"/g)) {
      const answer = await fetch(base + asset[1]);
      expect(answer.status, asset[1]).toBe(200);
      await answer.arrayBuffer();
    }
    const stale = await fetch(`${base}/docs/assets/0.0.0/swagger-ui.css`);
    expect(stale.status).toBe(404);
    await stale.arrayBuffer();
  });

  it('reads plain JSON Schema routes as Fastify users write them', async () => {
    const plain = Fastify();
    const routes = collectFastifyRoutes(plain);
    plain.put(
      '/items/:id',
      {
        schema: {
          params: { type: 'object', properties: { id: { type: 'integer' } }, required: ['id'] },
          body: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] },
          response: { 200: { type: 'object', properties: { ok: { type: 'boolean' } } } },
        },
      },
      async () => ({ ok: true }),
    );
    await plain.ready();
    const document = generateOpenApi(routes);
    await expectValidOpenApi(document);
    expect(document.paths['/items/{id}']!.put).toMatchObject({
      parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer' } }],
    });
    const answer = await plain.inject({ method: 'PUT', url: '/items/x', payload: { name: 'a' } });
    expect(answer.statusCode).toBe(400); // Fastify's own ajv still validates
    await plain.close();
  });
});

// Each documented operation, sent over HTTP to the listening app: every one must exist (not 404).
async function expectServed(origin: string, paths: Record<string, Record<string, unknown>>) {
  for (const [path, item] of Object.entries(paths)) {
    for (const method of Object.keys(item)) {
      const answer = await fetch(origin + path, { method: method.toUpperCase() });
      await answer.arrayBuffer();
      expect(answer.status, `${method.toUpperCase()} ${path}`).not.toBe(404);
    }
  }
}

async function statusOf(origin: string, method: string, path: string): Promise<number> {
  const answer = await fetch(origin + path, { method });
  await answer.arrayBuffer();
  return answer.status;
}

const methodsByPath = (paths: object) =>
  Object.fromEntries(Object.entries(paths).map(([path, item]) => [path, Object.keys(item).sort()]));

describe('collectFastifyRoutes', () => {
  it("documents a prefixed '/' route once, at '/notes', without Fastify's HEAD routes", async () => {
    const notes = Fastify({ forceCloseConnections: true });
    await notes.register(fastifyOpenApi, {});
    await notes.register(
      async (scope) => {
        scope.get('/', async () => ['a note']);
        scope.post('/', async () => ({ created: true }));
        scope.get('/:id', async () => 'a note');
      },
      { prefix: '/notes' },
    );
    const origin = await notes.listen({ port: 0, host: '127.0.0.1' });
    try {
      const document = (await (await fetch(`${origin}/openapi.json`)).json()) as {
        paths: Record<string, Record<string, unknown>>;
      };
      await expectValidOpenApi(document);
      expect(methodsByPath(document.paths)).toEqual({ '/notes': ['get', 'post'], '/notes/{id}': ['get'] });
      await expectServed(origin, document.paths);
      // What Fastify serves (ignoreTrailingSlash: false): '/notes/' is the same route as '/notes', and
      // HEAD answers both without being an operation of its own.
      for (const path of ['/notes', '/notes/']) {
        const list = await fetch(origin + path);
        expect([list.status, await list.json()], path).toEqual([200, ['a note']]);
        expect(await statusOf(origin, 'HEAD', path), `HEAD ${path}`).toBe(200);
      }
      expect(await statusOf(origin, 'GET', '/notes/1/')).toBe(404);
    } finally {
      await notes.close();
    }
  });

  it("keeps a HEAD route the app declares, and the path of a '/' route with prefixTrailingSlash 'slash'", async () => {
    const app = Fastify({ forceCloseConnections: true });
    const routes = collectFastifyRoutes(app);
    app.head('/ping', async (_request, reply) => reply.header('x-alive', '1').send());
    app.get('/ping', async () => 'pong');
    await app.register(async (scope) => scope.get('/', { prefixTrailingSlash: 'slash' }, async () => 'in'), {
      prefix: '/inbox',
    });
    const origin = await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const document = generateOpenApi(routes);
      await expectValidOpenApi(document);
      expect(methodsByPath(document.paths)).toEqual({ '/ping': ['get', 'head'], '/inbox/': ['get'] });
      await expectServed(origin, document.paths as Record<string, Record<string, unknown>>);
      expect((await fetch(`${origin}/ping`, { method: 'HEAD' })).headers.get('x-alive')).toBe('1');
      expect(await statusOf(origin, 'GET', '/inbox')).toBe(404);
    } finally {
      await app.close();
    }
  });
});

describe('fastifyServerTiming', () => {
  it('reports each lifecycle phase, the handler and the total, and logs slow requests', async () => {
    logged.length = 0;
    const response = await fetch(`${base}/pets/4`);
    expect(response.status).toBe(200);
    const header = response.headers.get('server-timing')!;
    const names = header.split(', ').map((part) => part.split(';')[0]);
    expect(names).toEqual(['onRequest', 'parsing', 'validation', 'preHandler', 'handler', 'total']);
    const durations = Object.fromEntries(
      header.split(', ').map((part) => [part.split(';')[0], Number(part.split('dur=')[1])]),
    );
    // The handler's 40 ms sleep lands in its own phase and in the total: lower bounds a timer guarantees
    // (1 ms of rounding allowed), so a loaded machine slowing any phase cannot fail them.
    expect(durations.handler!).toBeGreaterThanOrEqual(39);
    expect(durations.total!).toBeGreaterThanOrEqual(durations.handler!);
    await vi.waitFor(() => expect(logged).toHaveLength(1));
    expect(logged[0]).toMatchObject({ method: 'GET', path: '/pets/4', route: '/pets/:id', status: 200 });
  });
});

describe('fastifyDevErrorPage', () => {
  it('renders the page for a browser, JSON for others, nothing of it in production', async () => {
    const page = await fetch(`${base}/boom`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(500);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = await page.text();
    expect(html).toContain('Error: the kennel melted');
    expect(html).toMatch(/at .*fastify\.test\.ts/);
    const api = await fetch(`${base}/boom`, { headers: { accept: 'application/json' } });
    expect(api.headers.get('content-type')).toContain('application/json');
    expect(await api.text()).not.toContain('at ');
    const previous = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      const production = await fetch(`${base}/boom`, { headers: { accept: 'text/html' } });
      expect(production.status).toBe(500);
      expect(await production.text()).not.toContain('@plinth/devtools');
      const built = await buildApp();
      const answer = await built.inject({ method: 'GET', url: '/boom', headers: { accept: 'text/html' } });
      expect(answer.headers['content-type']).toContain('application/json');
      expect(answer.body).not.toContain('<html'); // Fastify's own JSON answer
      await built.close();
    } finally {
      process.env.NODE_ENV = previous;
    }
  });
});

describe('fastifyProfiling', () => {
  it('writes a CPU profile on the guarded endpoint', async () => {
    const response = await fetch(`${base}/__devtools/cpu-profile?duration=50`, {
      method: 'POST',
      headers: { 'x-plinth-devtools': '1' },
    });
    expect(response.status).toBe(201);
    const { file } = (await response.json()) as { file: string };
    expect(JSON.parse(readFileSync(file, 'utf8'))).toHaveProperty('samples');
  });
});
