import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { plinthFastify } from '../src/fastify.js';
import { createApp, json, text } from '../src/index.js';

function buildApp() {
  const app = createApp();
  app.get('/hello', () => json({ from: 'plinth' }));
  app.get('/users/:id', (ctx) => json({ id: ctx.params.id, routePath: ctx.routePath }));
  app.post('/echo', async (ctx) => json({ body: await ctx.body.json() }));
  app.post('/text', async (ctx) => text(await ctx.body.text()));
  app.post('/form', async (ctx) => {
    const form = await ctx.body.form();
    return json({ names: form.getAll('name'), file: (form.get('file') as File | null)?.name ?? null });
  });
  app.get('/', () => text('root'));
  return app;
}

describe('plinthFastify in Fastify 5', () => {
  let fastify: FastifyInstance;
  let url: string;

  beforeAll(async () => {
    fastify = Fastify();
    fastify.get('/fastify-only', async () => ({ from: 'fastify' }));
    fastify.get('/hello', async () => ({ from: 'fastify wins' }));
    await fastify.register(plinthFastify, { app: buildApp() });
    await fastify.register(plinthFastify, { app: buildApp(), basePath: '/api' });
    fastify.setNotFoundHandler((_request, reply) => {
      reply.code(404).send({ from: 'fastify 404' });
    });
    url = await fastify.listen({ port: 0, host: '127.0.0.1' });
  });

  afterAll(() => fastify.close());

  it('answers the app’s routes with params and routePath', async () => {
    expect(await (await fetch(`${url}/users/5`)).json()).toEqual({ id: '5', routePath: '/users/:id' });
    expect(await (await fetch(`${url}/`)).text()).toBe('root');
  });

  it('answers HEAD from the app’s GET route without a body', async () => {
    const response = await fastify.inject({ method: 'HEAD', url: '/users/5' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(response.body).toBe('');
  });

  it('serves under basePath', async () => {
    expect(await (await fetch(`${url}/api/users/6`)).json()).toEqual({ id: '6', routePath: '/users/:id' });
    expect(await (await fetch(`${url}/api`)).text()).toBe('root');
    expect(await (await fetch(`${url}/api?x=1`)).text()).toBe('root');
  });

  it('lets Fastify’s own routes win and hands unknown paths to Fastify’s 404', async () => {
    expect(await (await fetch(`${url}/fastify-only`)).json()).toEqual({ from: 'fastify' });
    expect(await (await fetch(`${url}/hello`)).json()).toEqual({ from: 'fastify wins' });
    const missing = await fetch(`${url}/nowhere`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ from: 'fastify 404' });
  });

  it('uses the JSON and text bodies Fastify already parsed', async () => {
    const response = await fetch(`${url}/echo`, {
      method: 'POST',
      body: '{"a":{"b":1}}',
      headers: { 'content-type': 'application/json' },
    });
    expect(await response.json()).toEqual({ body: { a: { b: 1 } } });
    const plain = await fetch(`${url}/text`, {
      method: 'POST',
      body: 'plain words',
      headers: { 'content-type': 'text/plain' },
    });
    expect(await plain.text()).toBe('plain words');
  });

  it('reads bodies Fastify has no parser for (urlencoded, multipart) as sent', async () => {
    const form = await fetch(`${url}/form`, {
      method: 'POST',
      body: 'name=a&name=b',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(await form.json()).toEqual({ names: ['a', 'b'], file: null });
    const multipart = new FormData();
    multipart.append('name', 'c');
    multipart.append('file', new File(['x'], 'f.txt'));
    expect(await (await fetch(`${url}/form`, { method: 'POST', body: multipart })).json()).toEqual({
      names: ['c'],
      file: 'f.txt',
    });
  });

  it('declares itself non-encapsulated and named, as fastify-plugin would', () => {
    const marks = plinthFastify as unknown as Record<symbol, unknown>;
    expect(marks[Symbol.for('skip-override')]).toBe(true);
    expect(marks[Symbol.for('fastify.display-name')]).toBe('@plinth/http');
    expect(marks[Symbol.for('plugin-meta')]).toEqual({ name: '@plinth/http', fastify: '5.x' });
  });

  it('rejects prototype pollution and keeps serving', async () => {
    const response = await fetch(`${url}/echo`, {
      method: 'POST',
      body: '{"__proto__":{"x":1}}',
      headers: { 'content-type': 'application/json' },
    });
    expect(response.status).toBe(400);
    expect(({} as { x?: number }).x).toBeUndefined();
    expect((await fetch(`${url}/users/1`)).status).toBe(200);
  });
});

describe('plinthFastify encapsulation', () => {
  it('does not make the user’s routes accept content types Fastify would refuse', async () => {
    const fastify = Fastify();
    await fastify.register(plinthFastify, { app: buildApp(), basePath: '/plinth' });
    fastify.post('/own', async () => ({ ok: true }));
    await fastify.ready();
    const response = await fastify.inject({
      method: 'POST',
      url: '/own',
      payload: 'a=1',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(response.statusCode).toBe(415);
    const ours = await fastify.inject({
      method: 'POST',
      url: '/plinth/form',
      payload: 'name=z',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(ours.json()).toEqual({ names: ['z'], file: null });
    await fastify.close();
  });

  it('refuses to register without an app', async () => {
    const fastify = Fastify();
    await expect(
      fastify.register(plinthFastify, {} as unknown as Parameters<typeof plinthFastify>[1]).ready(),
    ).rejects.toThrow('Expected { app } made by createApp()');
    await fastify.close();
  });
});
