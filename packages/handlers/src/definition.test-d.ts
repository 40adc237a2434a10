import { describe, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { defineHandler } from './definition.js';
import { created, reply } from './reply.js';
import { token } from './token.js';

const Clock = token<{ now(): number }>('Clock');

describe('handler definition types', () => {
  it('types the input from the schemas and the path', () => {
    defineHandler({
      method: 'GET',
      path: '/orgs/:org/users/:id',
      schema: { querystring: z.object({ page: z.coerce.number() }) },
      services: { clock: Clock },
      handle: ({ params, query, body }, { clock }) => {
        expectTypeOf(params).toEqualTypeOf<{ org: string; id: string }>();
        expectTypeOf(query).toEqualTypeOf<{ page: number }>();
        expectTypeOf(body).toEqualTypeOf<undefined>();
        expectTypeOf(clock.now()).toEqualTypeOf<number>();
        return null;
      },
    });
  });

  it('checks the result against the response schemas, statuses included', () => {
    const response = {
      200: z.object({ id: z.number() }),
      201: z.object({ id: z.number() }),
      404: z.object({ code: z.string() }),
    };
    defineHandler({ method: 'POST', path: '/a', schema: { response }, handle: () => ({ id: 1 }) });
    defineHandler({ method: 'POST', path: '/a', schema: { response }, handle: () => created({ id: 1 }) });
    defineHandler({
      method: 'POST',
      path: '/a',
      schema: { response },
      handle: () => reply(404, { code: 'X' }),
    });
    defineHandler({
      method: 'POST',
      path: '/a',
      schema: { response },
      // @ts-expect-error 418 is not declared
      handle: () => reply(418, { code: 'X' }),
    });
    // @ts-expect-error the 404 body has a code
    defineHandler({ method: 'POST', path: '/a', schema: { response }, handle: () => reply(404, { id: 1 }) });
    // @ts-expect-error nothing (204) is not declared
    defineHandler({ method: 'POST', path: '/a', schema: { response }, handle: () => undefined });
    defineHandler({
      method: 'DELETE',
      path: '/a',
      schema: { response: { 204: { description: 'gone' } } },
      handle: () => {},
    });
  });

  it('yields a RouteInfo (method, path, meta) with literal types', () => {
    const definition = defineHandler({ method: 'GET', path: '/x', summary: 's', handle: () => 1 });
    expectTypeOf(definition.method).toEqualTypeOf<'GET'>();
    expectTypeOf(definition.path).toEqualTypeOf<'/x'>();
    expectTypeOf(definition).toExtend<{
      method: string;
      path: string;
      meta: Readonly<Record<string, unknown>> | object;
    }>();
  });
});
