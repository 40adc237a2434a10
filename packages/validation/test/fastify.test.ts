// The Fastify validator and serializer compilers and the plugin, on a real Fastify 5 app.
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { serializerCompiler, validation, validatorCompiler } from '../src/fastify.js';
import { badCases, expectRefused, expectServed, orderResult, orderSchema } from './support/routes.js';

describe('Fastify plugin', () => {
  let fastify: FastifyInstance;
  let base: string;

  beforeAll(async () => {
    fastify = Fastify();
    await fastify.register(validation);
    fastify.post('/orders/:id', { schema: orderSchema }, async (request, reply) => {
      const input = {
        params: request.params,
        querystring: request.query,
        headers: request.headers,
        body: request.body,
      } as Parameters<typeof orderResult>[0];
      return reply.code(201).send(orderResult(input));
    });
    fastify.get('/boom', async () => {
      throw Object.assign(new Error('teapot'), { statusCode: 418 });
    });
    base = await fastify.listen({ port: 0, host: '127.0.0.1' });
  });

  afterAll(() => fastify.close());

  it('answers a valid request with typed input and only the response schema fields', async () => {
    await expectServed(base);
  });

  for (const bad of badCases) {
    it(`refuses ${bad.name} with problem+json and keeps serving`, async () => {
      // Fastify validates one part at a time and stops at the first that fails.
      await expectRefused(
        base,
        bad.name === 'wrong types in every part' ? { ...bad, pointers: ['/params/id'] } : bad,
      );
      await expectServed(base);
    });
  }

  it('keeps headers the schema does not name on request.headers', async () => {
    const app = Fastify();
    await app.register(validation);
    app.get('/h', { schema: { headers: z.object({ 'x-n': z.number() }) } }, async (request) => ({
      n: request.headers['x-n'],
      agent: request.headers['x-agent'],
    }));
    const response = await app.inject({ url: '/h', headers: { 'x-n': '5', 'x-agent': 'test' } });
    expect(response.json()).toEqual({ n: 5, agent: 'test' });
    await app.close();
  });

  it('leaves errors it does not own to the error handler before it', async () => {
    const response = await fetch(`${base}/boom`);
    expect(response.status).toBe(418);
    expect(response.headers.get('content-type')).toContain('application/json');
  });
});

describe('Fastify compilers alone', () => {
  it('refuse a JSON Schema at registration rather than send what it would have dropped', async () => {
    const app = Fastify();
    app.setSerializerCompiler(serializerCompiler());
    app.get(
      '/json-schema',
      { schema: { response: { 200: { type: 'object', properties: {} } } } },
      async () => ({}),
    );
    await expect(app.ready()).rejects.toThrow(/not a Standard Schema/);
    const other = Fastify();
    other.setValidatorCompiler(validatorCompiler());
    other.post('/json-schema', { schema: { body: { type: 'object' } } }, async () => ({}));
    await expect(other.ready()).rejects.toThrow(/not a Standard Schema/);
  });

  it('write a response entry without a schema as it is', async () => {
    const app = Fastify();
    app.setSerializerCompiler(serializerCompiler());
    app.get('/free', { schema: { response: { 200: { description: 'anything' } } } }, async () => ({ a: 1 }));
    expect((await app.inject({ url: '/free' })).body).toBe('{"a":1}');
    await app.close();
  });

  it('validate with 422 and serialize through the response schema, with Fastify handling errors', async () => {
    const app = Fastify();
    app.setValidatorCompiler(validatorCompiler({ status: 422 }));
    app.setSerializerCompiler(serializerCompiler());
    app.post(
      '/users',
      {
        schema: {
          body: z.object({ name: z.string() }),
          response: { 200: { description: 'the user', schema: z.object({ name: z.string() }) } },
        },
      },
      async (request) => ({ ...(request.body as object), passwordHash: 'x' }),
    );
    const ok = await app.inject({ method: 'POST', url: '/users', payload: { name: 'Ada' } });
    expect(ok.body).toBe('{"name":"Ada"}');
    const bad = await app.inject({ method: 'POST', url: '/users', payload: { name: 1 } });
    expect(bad.statusCode).toBe(422);
    expect(bad.json()).toMatchObject({ code: 'VALIDATION_FAILED' });
    await app.close();
  });
});
