// valibot has no Standard JSON Schema: devtools says what to do, and its own converter plugs in.
import { toJsonSchema } from '@valibot/to-json-schema';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { generateOpenApi, type JsonSchema, type RouteInfo } from '../src/index.js';
import { expectValidOpenApi } from './support/openapi-validator.js';

const Note = v.object({ id: v.string(), text: v.pipe(v.string(), v.minLength(1)) });
const routes: RouteInfo[] = [
  {
    method: 'POST',
    path: '/notes/:id',
    meta: { schema: { params: v.object({ id: v.string() }), body: Note, response: { 201: Note } } },
  },
];

describe('valibot schemas', () => {
  it('are refused with a message naming the toJsonSchema option', () => {
    expect(() => generateOpenApi(routes)).toThrow(
      expect.objectContaining({
        code: 'ERR_DEVTOOLS_SCHEMA_UNSUPPORTED',
        message: expect.stringContaining('toJsonSchema'),
      }),
    );
  });

  it('are described through @valibot/to-json-schema passed as toJsonSchema', async () => {
    const document = generateOpenApi(routes, {
      toJsonSchema: (schema) => toJsonSchema(schema as never, { target: 'draft-2020-12' }) as JsonSchema,
    });
    await expectValidOpenApi(document);
    expect(document.paths['/notes/{id}']!.post).toMatchObject({
      parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
      requestBody: {
        content: {
          'application/json': {
            schema: { type: 'object', properties: { text: { type: 'string', minLength: 1 } } },
          },
        },
      },
    });
  });
});
