// What the types promise: validated input typed by the route schema in every adapter.
import type { Response } from 'express';
import Fastify from 'fastify';
import { describe, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { validate as validateExpress } from '../src/express.js';
import { type StandardSchemaProvider, validation } from '../src/fastify.js';
import { validate } from '../src/fetch.js';
import { createRouteValidator, type ValidatedInput } from '../src/index.js';

const schema = {
  params: z.object({ id: z.coerce.number() }),
  querystring: z.object({ tags: z.array(z.string()).optional() }),
  body: z.object({ name: z.string(), createdAt: z.date().optional() }),
};

describe('validated input types', () => {
  it('types each declared part by its schema output and undeclared parts as undefined', () => {
    type Input = ValidatedInput<typeof schema>;
    expectTypeOf<Input['params']>().toEqualTypeOf<{ id: number }>();
    expectTypeOf<Input['querystring']>().toEqualTypeOf<{ tags?: string[] | undefined }>();
    expectTypeOf<Input['body']>().toEqualTypeOf<{ name: string; createdAt?: Date | undefined }>();
    expectTypeOf<Input['headers']>().toEqualTypeOf<undefined>();
  });

  it('types the fetch and Express accessors and the core validator alike', () => {
    const fetchMiddleware = validate(schema);
    expectTypeOf(fetchMiddleware.input({ state: {} }).body.name).toEqualTypeOf<string>();
    const expressMiddleware = validateExpress(schema);
    expectTypeOf(expressMiddleware.input({} as Response).params.id).toEqualTypeOf<number>();
    const validator = createRouteValidator(schema);
    expectTypeOf(validator.validate({})).resolves.toHaveProperty('body');
  });

  it('types Fastify requests through the type provider', () => {
    const app = Fastify().withTypeProvider<StandardSchemaProvider>();
    app.register(validation);
    app.post('/users/:id', { schema }, async (request) => {
      expectTypeOf(request.body.name).toEqualTypeOf<string>();
      expectTypeOf(request.params.id).toEqualTypeOf<number>();
      return { ok: true };
    });
  });
});
