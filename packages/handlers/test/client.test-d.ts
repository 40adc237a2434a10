import { describe, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import { createClient } from '../src/client.js';
import type { ProblemDetails } from '../src/index.js';
import type { api, User } from './support/api.js';

const client = createClient<typeof api>({ baseUrl: 'http://127.0.0.1:1' });

describe('typed client', () => {
  it('types the body by status', async () => {
    const answer = await client.get('/users/:id', { params: { id: 1 } });
    if (answer.status === 200) expectTypeOf(answer.data).toEqualTypeOf<z.output<typeof User>>();
    if (answer.status === 404)
      expectTypeOf(answer.data).toEqualTypeOf<{
        type: string;
        title: string;
        status: number;
        code: string;
      }>();
    if (answer.status === 500) expectTypeOf(answer.data).toEqualTypeOf<ProblemDetails>();
    const created = await client.post('/users', {
      body: { name: 'a', email: 'a@b.co', password: '12345678' },
    });
    if (created.status === 201) expectTypeOf(created.data.id).toEqualTypeOf<number>();
  });

  it('takes the schema input types for params, query, headers and body', () => {
    client.get('/users', { query: { limit: 3, tag: ['a'] } });
    client.get('/users');
    client.get('/tenant', { headers: { 'x-tenant-id': 'x' } });
    client.get('/files/*', { params: { '*': 'a/b' } });
    // @ts-expect-error the path is not declared
    client.get('/nope');
    // @ts-expect-error /users/:id has no POST
    client.post('/users/:id', { params: { id: 1 } });
    // @ts-expect-error params are required for /users/:id
    client.get('/users/:id');
    // @ts-expect-error the body's name is a string
    client.post('/users', { body: { name: 1, email: 'a@b.co', password: '12345678' } });
    // @ts-expect-error the body is required
    client.post('/users', {});
    // @ts-expect-error headers are required by the schema
    client.get('/tenant');
  });
});

describe('typed client from an object of definitions', () => {
  it('reads the same types as from an array', async () => {
    const byName = createClient<{ getUser: (typeof api)[0]; createUser: (typeof api)[2] }>({
      baseUrl: 'http://x',
    });
    const answer = await byName.get('/users/:id', { params: { id: '7' } });
    if (answer.status === 200) expectTypeOf(answer.data.id).toEqualTypeOf<number>();
    // @ts-expect-error only the listed definitions
    byName.delete('/users/:id', { params: { id: 1 } });
  });
});
