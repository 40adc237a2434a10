// The OpenAPI members @plinth/devtools/fastify adds to Fastify's route `schema` (a FastifySchema
// augmentation): an inline schema with them compiles, a misspelled or mistyped member still fails.
import Fastify, { type FastifySchema } from 'fastify';
import { describe, expectTypeOf, it } from 'vitest';
import { fastifyOpenApi } from '../src/fastify.js';
import type { RouteMeta } from '../src/index.js';

const app = Fastify();
app.register(fastifyOpenApi, {});
const handler = async () => ({});

describe('FastifySchema with the OpenAPI members', () => {
  it('accepts every member the README lists in an inline route schema', () => {
    app.post('/login', { schema: { summary: 'Log in', security: [] } }, handler);
    app.get(
      '/notes/:id',
      {
        schema: {
          summary: 'One note',
          description: 'The note with this id.',
          tags: ['notes'],
          operationId: 'getNote',
          deprecated: true,
          security: [{ bearer: [] }, { apiKey: ['notes:read'] }],
          hide: false,
          params: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] },
        },
      },
      handler,
    );
    app.route({ method: 'GET', url: '/internal', schema: { hide: true }, handler });
    app.register(async (scope) => {
      scope.get('/', { schema: { tags: ['scoped'] as const, summary: 'In a plugin' } }, handler);
    });
  });

  it('still refuses a misspelled or mistyped member', () => {
    app.post(
      '/login',
      {
        // @ts-expect-error: `sumary` is no member of FastifySchema
        schema: { sumary: 'Log in' },
      },
      handler,
    );
    app.get(
      '/notes',
      {
        // @ts-expect-error: tags are strings
        schema: { tags: [1] },
      },
      handler,
    );
    app.get(
      '/notes',
      {
        // @ts-expect-error: a security requirement maps scheme names to scopes
        schema: { security: [{ bearer: true }] },
      },
      handler,
    );
  });

  it('types each member as @fastify/swagger does, and they fit what collectFastifyRoutes reads', () => {
    expectTypeOf<FastifySchema['summary']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<FastifySchema['description']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<FastifySchema['tags']>().toEqualTypeOf<readonly string[] | undefined>();
    expectTypeOf<FastifySchema['operationId']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<FastifySchema['deprecated']>().toEqualTypeOf<boolean | undefined>();
    expectTypeOf<FastifySchema['hide']>().toEqualTypeOf<boolean | undefined>();
    expectTypeOf<FastifySchema['security']>().toEqualTypeOf<
      ReadonlyArray<{ [securityLabel: string]: readonly string[] }> | undefined
    >();
    expectTypeOf<Pick<RouteMeta, 'summary' | 'operationId' | 'hide'>>().toExtend<
      Pick<FastifySchema, 'summary' | 'operationId' | 'hide'>
    >();
  });
});
