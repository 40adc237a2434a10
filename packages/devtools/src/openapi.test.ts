import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { expectValidOpenApi } from '../test/support/openapi-validator.js';
import { generateOpenApi as generate, type OpenApiDocument } from './openapi.js';
import type { RouteInfo } from './route-source.js';

const Address = z.object({ city: z.string(), zip: z.string().optional() }).meta({ id: 'Address' });
const User = z
  .object({
    id: z.uuid(),
    name: z.string().min(1),
    role: z.enum(['admin', 'member']).default('member'),
    createdAt: z.date(),
    home: Address,
    work: Address.optional(),
  })
  .meta({ id: 'User', description: 'A user of the shop.' });
const NewUser = User.omit({ id: true, createdAt: true }).meta({ id: 'NewUser' });

// A hand-written RouteSource of the SEAMS §H shape: no @plinth import.
const routes: RouteInfo[] = [
  {
    method: 'GET',
    path: '/users',
    meta: {
      summary: 'List users',
      tags: ['users'],
      schema: {
        querystring: z.object({
          page: z.coerce.number().int().min(1).optional().describe('Page number, from 1.'),
          role: z.array(z.enum(['admin', 'member'])).optional(),
        }),
        response: { 200: z.array(User) },
      },
    },
  },
  {
    method: 'POST',
    path: '/users',
    meta: {
      summary: 'Create a user',
      tags: ['users'],
      operationId: 'createUser',
      security: [{ bearer: [] }],
      schema: {
        headers: z.object({ 'x-tenant-id': z.string(), 'content-type': z.string().optional() }),
        body: NewUser,
        response: { 201: { description: 'The new user', schema: User }, 409: { description: 'Name taken' } },
      },
    },
  },
  {
    method: 'GET',
    path: '/users/:id',
    meta: {
      tags: ['users'],
      schema: {
        params: z.object({ id: z.uuid().describe('The user id.') }),
        response: { 200: User, 404: {} },
      },
    },
  },
  {
    method: 'DELETE',
    path: '/users/:id',
    meta: { deprecated: true, schema: { response: { 204: z.never() } } },
  },
  { method: 'GET', path: '/posts/:page?', meta: {} },
  { method: 'GET', path: '/files/*', meta: {} },
  { method: 'GET', path: '/models/:name::generate', meta: {} },
  { method: 'GET', path: '/internal', meta: { hide: true } },
  { method: 'GET', path: '/', meta: {} },
];

// Every document a test here produces also goes through the OpenAPI 3.1 validator.
const produced: OpenApiDocument[] = [];
const generateOpenApi = (...args: Parameters<typeof generate>) => {
  const document = generate(...args);
  produced.push(document);
  return document;
};
afterEach(async () => {
  for (const document of produced.splice(0)) await expectValidOpenApi(document);
});

const options = {
  info: { title: 'Shop', version: '1.2.3' },
  securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
  tags: [{ name: 'users', description: 'People who buy.' }],
};

describe('generateOpenApi', () => {
  it('writes a valid OpenAPI 3.1 document from a hand-written RouteSource', async () => {
    const document = generateOpenApi(routes, options);
    await expectValidOpenApi(document);
    expect(document.openapi).toBe('3.1.0');
    expect(document.info).toEqual({ title: 'Shop', version: '1.2.3' });
    expect(Object.keys(document.paths)).toEqual([
      '/users',
      '/users/{id}',
      '/posts',
      '/posts/{page}',
      '/files/{wildcard}',
      '/models/{name}:generate',
      '/',
    ]);
  });

  it('turns params, querystring and headers schemas into parameters', () => {
    const { paths } = generateOpenApi(routes, options);
    expect(paths['/users/{id}']!.get).toMatchObject({
      operationId: 'getUsersById',
      parameters: [
        {
          name: 'id',
          in: 'path',
          required: true,
          description: 'The user id.',
          schema: { type: 'string', format: 'uuid' },
        },
      ],
    });
    expect(paths['/users']!.get).toMatchObject({
      parameters: [
        {
          name: 'page',
          in: 'query',
          description: 'Page number, from 1.',
          schema: { type: 'integer', minimum: 1 },
        },
        { name: 'role', in: 'query', schema: { type: 'array', items: { enum: ['admin', 'member'] } } },
      ],
    });
    const post = paths['/users']!.post as { parameters: Array<{ name: string; required?: boolean }> };
    // content-type is described by requestBody, never as a header parameter (OpenAPI 3.1 §4.8.12.1)
    expect(post.parameters).toEqual([
      { name: 'x-tenant-id', in: 'header', required: true, schema: { type: 'string' } },
    ]);
    expect(paths['/files/{wildcard}']!.get).toMatchObject({
      parameters: [{ name: 'wildcard', in: 'path', required: true, schema: { type: 'string' } }],
    });
  });

  it('shares schemas with an id as components, once, with input and output variants', () => {
    const { paths, components } = generateOpenApi(routes, options);
    expect(Object.keys(components.schemas!)).toEqual([
      'Address',
      'AddressInput',
      'NewUser',
      'Problem',
      'ProblemError',
      'User',
      'ValidationProblem',
    ]);
    expect(paths['/users']!.get).toMatchObject({
      responses: {
        200: {
          content: {
            'application/json': { schema: { type: 'array', items: { $ref: '#/components/schemas/User' } } },
          },
        },
      },
    });
    expect(paths['/users']!.post).toMatchObject({
      requestBody: {
        required: true,
        content: { 'application/json': { schema: { $ref: '#/components/schemas/NewUser' } } },
      },
    });
    const user = components.schemas!.User as { properties: Record<string, unknown>; required: string[] };
    expect(user.properties.home).toEqual({ $ref: '#/components/schemas/Address' });
    expect(user.properties.createdAt).toEqual({ type: 'string', format: 'date-time' });
    expect(user.required).toContain('role'); // output: the default always fills it
    // Address differs by direction (output objects are closed): the input variant gets its own name.
    const newUser = components.schemas!.NewUser as {
      properties: Record<string, unknown>;
      required: string[];
    };
    expect(newUser.properties.home).toEqual({ $ref: '#/components/schemas/AddressInput' });
    expect(newUser.required).not.toContain('role');
    expect(JSON.stringify(components)).not.toContain('$defs');
  });

  it('splits a shared definition whose referenced definition differs by direction', () => {
    const Addresses = z.array(Address).meta({ id: 'Addresses' });
    const document = generateOpenApi([
      {
        method: 'PUT',
        path: '/addresses',
        meta: { schema: { body: Addresses, response: { 200: Addresses } } },
      },
    ]);
    const put = document.paths['/addresses']!.put as {
      requestBody: { content: Record<string, { schema: unknown }> };
      responses: Record<string, { content: Record<string, { schema: unknown }> }>;
    };
    expect(put.requestBody.content['application/json']!.schema).toEqual({
      $ref: '#/components/schemas/AddressesInput',
    });
    expect(put.responses['200']!.content['application/json']!.schema).toEqual({
      $ref: '#/components/schemas/Addresses',
    });
    const schemas = document.components.schemas as Record<string, { items?: unknown }>;
    expect(schemas.AddressesInput!.items).toEqual({ $ref: '#/components/schemas/AddressInput' });
    expect(schemas.Addresses!.items).toEqual({ $ref: '#/components/schemas/Address' });
  });

  it('documents the problem+json errors: validation, body limits, 401 and a default', () => {
    const document = generateOpenApi(routes, options);
    const post = document.paths['/users']!.post as { responses: Record<string, unknown> };
    expect(Object.keys(post.responses)).toEqual(['201', '400', '401', '409', '413', '415', 'default']);
    expect(post.responses['400']).toEqual({ $ref: '#/components/responses/ValidationFailed' });
    expect(post.responses['409']).toEqual({
      description: 'Name taken',
      content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
    });
    expect(document.components.responses!.ValidationFailed).toMatchObject({
      content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/ValidationProblem' } } },
    });
    const problem = document.components.schemas!.Problem as {
      required: string[];
      properties: Record<string, unknown>;
    };
    expect(problem.required).toEqual(['type', 'title', 'status', 'code']);
    expect(Object.keys(problem.properties)).toEqual(
      expect.arrayContaining(['type', 'title', 'status', 'detail', 'code', 'errors']),
    );
    const get = document.paths['/users/{id}']!.get as { responses: Record<string, { description?: string }> };
    expect(get.responses['404']).toEqual({
      description: 'Not Found',
      content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
    });
  });

  it('keeps application/json for a schema given on an error status (SEAMS §H: a bare schema means JSON)', () => {
    const Conflict = z.object({ existingId: z.string() });
    const document = generateOpenApi([
      { method: 'PUT', path: '/x', meta: { schema: { response: { 409: Conflict } } } },
    ]);
    expect((document.paths['/x']!.put as { responses: Record<string, unknown> }).responses['409']).toEqual({
      description: 'Conflict',
      content: {
        'application/json': {
          schema: {
            type: 'object',
            properties: { existingId: { type: 'string' } },
            required: ['existingId'],
            additionalProperties: false,
          },
        },
      },
    });
  });

  it('answers 422 for validation when told, and 400 stays for a malformed body', async () => {
    const document = generateOpenApi(routes, { ...options, validationStatus: 422 });
    await expectValidOpenApi(document);
    const post = document.paths['/users']!.post as { responses: Record<string, unknown> };
    expect(post.responses['422']).toEqual({ $ref: '#/components/responses/ValidationFailed' });
    expect(post.responses['400']).toEqual({ $ref: '#/components/responses/MalformedBody' });
  });

  it('writes tags, operation ids, security, deprecated and no content for 204', () => {
    const document = generateOpenApi(routes, { ...options, security: [] });
    expect(document.tags).toEqual([{ name: 'users', description: 'People who buy.' }]);
    const ids = Object.values(document.paths).flatMap((item) =>
      Object.values(item).map((operation) => (operation as { operationId: string }).operationId),
    );
    expect(ids).toEqual([
      'getUsers',
      'createUser',
      'getUsersById',
      'deleteUsersById',
      'getPosts',
      'getPostsByPage',
      'getFilesByWildcard',
      'getModelsByNameGenerate',
      'getRoot',
    ]);
    expect(document.components.securitySchemes).toEqual({ bearer: { type: 'http', scheme: 'bearer' } });
    const remove = document.paths['/users/{id}']!.delete as {
      deprecated: boolean;
      responses: Record<string, unknown>;
    };
    expect(remove.deprecated).toBe(true);
    expect(remove.responses['204']).toEqual({ description: 'No Content' });
  });

  it('reads plain JSON Schemas too, as Fastify route schemas give them', async () => {
    const document = generateOpenApi([
      {
        method: 'PUT',
        path: '/items/:id',
        meta: {
          schema: {
            params: { type: 'object', properties: { id: { type: 'integer' } }, required: ['id'] },
            body: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] },
            response: { 200: { type: 'object', properties: { ok: { type: 'boolean' } } } },
          },
        },
      },
    ]);
    await expectValidOpenApi(document);
    expect(document.paths['/items/{id}']!.put).toMatchObject({
      parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer' } }],
      requestBody: { content: { 'application/json': { schema: { required: ['name'] } } } },
    });
  });

  it('reads handler definitions as they are: extra members ignored, meta at the top level too', () => {
    const definitions = [
      {
        method: 'post',
        path: '/orders',
        meta: { summary: 'Place an order', schema: { body: z.object({ sku: z.string() }) } },
        services: {},
        handle: () => undefined,
      },
      {
        method: 'GET',
        path: '/orders/:id',
        summary: 'One order',
        operationId: 'getOrder',
        handle: () => undefined,
      },
    ];
    const document = generateOpenApi(definitions as unknown as RouteInfo[]);
    expect(document.paths['/orders']!.post).toMatchObject({
      summary: 'Place an order',
      requestBody: { required: true },
    });
    expect(document.paths['/orders/{id}']!.get).toMatchObject({
      summary: 'One order',
      operationId: 'getOrder',
    });
  });

  it('is checked by a validator that does reject a broken document', async () => {
    const broken = {
      ...generate([]),
      paths: { '/a/{id}': { get: { responses: { 200: { description: 'OK' } } } } },
    };
    await expect(expectValidOpenApi(broken)).rejects.toThrow(/id/);
  });

  it('is deterministic: the same routes give the same JSON', () => {
    expect(JSON.stringify(generateOpenApi(routes, options))).toBe(
      JSON.stringify(generateOpenApi(routes, options)),
    );
  });
});

describe('generateOpenApi refuses what it cannot describe', () => {
  it('names a security scheme nobody defined', () => {
    expect(() => generateOpenApi(routes, { ...options, securitySchemes: {} })).toThrow(
      expect.objectContaining({
        code: 'ERR_DEVTOOLS_UNKNOWN_SECURITY_SCHEME',
        message: expect.stringContaining('"bearer"'),
      }),
    );
  });

  it('names both routes of a duplicate operationId', () => {
    const twice = [
      { method: 'GET', path: '/a', meta: { operationId: 'same' } },
      { method: 'GET', path: '/b', meta: { operationId: 'same' } },
    ];
    expect(() => generateOpenApi(twice)).toThrow(
      expect.objectContaining({
        code: 'ERR_DEVTOOLS_DUPLICATE_OPERATION',
        message: expect.stringMatching(/GET \/a.*GET \/b/),
      }),
    );
  });

  it('refuses two different schemas with one id', () => {
    const a = z.object({ a: z.string() }).meta({ id: 'Thing' });
    const b = z.object({ b: z.string() }).meta({ id: 'Thing' });
    const clash = [
      { method: 'GET', path: '/a', meta: { schema: { response: { 200: a } } } },
      { method: 'GET', path: '/b', meta: { schema: { response: { 200: b } } } },
    ];
    expect(() => generateOpenApi(clash)).toThrow(
      expect.objectContaining({ code: 'ERR_DEVTOOLS_SCHEMA_CONFLICT' }),
    );
  });

  it('tells what to do with a Standard Schema that has no JSON Schema', () => {
    const opaque = { '~standard': { version: 1, vendor: 'acme', validate: () => ({ value: 1 }) } } as const;
    const route = [{ method: 'POST', path: '/x', meta: { schema: { body: opaque } } }];
    expect(() => generateOpenApi(route)).toThrow(/POST \/x body is a acme schema .*toJsonSchema/);
    const document = generateOpenApi(route, { toJsonSchema: () => ({ type: 'object' }) });
    expect(document.paths['/x']!.post).toMatchObject({
      requestBody: { content: { 'application/json': { schema: { type: 'object' } } } },
    });
  });

  it('refuses a regular-expression route', () => {
    expect(() => generateOpenApi([{ method: 'GET', path: '/a/:id(\\d+)', meta: {} }])).toThrow(
      expect.objectContaining({ code: 'ERR_DEVTOOLS_INVALID_ROUTE' }),
    );
  });
});
