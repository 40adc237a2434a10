// The one route every integration test serves, in each framework: POST /orders/:id with params, query,
// headers and body schemas and a 201 response schema; and the bad requests each must refuse.
import { expect } from 'vitest';
import { z } from 'zod';

export const orderSchema = {
  params: z.object({ id: z.number().int().min(1) }),
  querystring: z.object({ page: z.number().int().min(1).default(1), tags: z.array(z.string()).optional() }),
  headers: z.object({ 'x-priority': z.number().int().optional() }),
  body: z.object({
    items: z.array(z.object({ sku: z.string(), qty: z.number().int().min(1) })).max(100),
    password: z.string().min(8),
    note: z.string().optional(),
  }),
  response: {
    201: z.object({
      id: z.number(),
      page: z.number(),
      tags: z.array(z.string()).optional(),
      priority: z.number().optional(),
      items: z.array(z.object({ sku: z.string(), qty: z.number() })),
      createdAt: z.date(),
    }),
  },
};

type Input = {
  params: { id: number };
  querystring: { page: number; tags?: string[] | undefined };
  headers: { 'x-priority'?: number | undefined };
  body: { items: Array<{ sku: string; qty: number }>; password: string };
};

/** What every framework's handler returns: the input echoed, plus fields that must never leave. */
export function orderResult(input: Input) {
  return {
    id: input.params.id,
    page: input.querystring.page,
    tags: input.querystring.tags,
    priority: input.headers['x-priority'],
    items: input.body.items.map((item) => ({ ...item, costPrice: 1.23 })),
    createdAt: new Date('2026-01-01T00:00:00.000Z'),
    passwordHash: 'never-sent',
    password: input.body.password,
  };
}

const goodBody = JSON.stringify({ items: [{ sku: 'a', qty: 2 }], password: 'correct horse' });
const json = { 'content-type': 'application/json' };

export interface BadCase {
  name: string;
  path?: string;
  headers?: Record<string, string>;
  body?: BodyInit;
  status: number;
  code: string;
  pointers?: string[];
}

function nested(depth: number): string {
  return `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
}

export const badCases: BadCase[] = [
  {
    name: 'wrong types in every part',
    path: '/orders/abc?page=zero',
    headers: { ...json, 'x-priority': 'high' },
    body: JSON.stringify({ items: [{ sku: 1, qty: 'two' }], password: 'correct horse' }),
    status: 400,
    code: 'VALIDATION_FAILED',
    pointers: [
      '/params/id',
      '/querystring/page',
      '/headers/x-priority',
      '/body/items/0/sku',
      '/body/items/0/qty',
    ],
  },
  {
    name: 'missing fields',
    body: JSON.stringify({ items: [{}] }),
    status: 400,
    code: 'VALIDATION_FAILED',
    pointers: ['/body/items/0/sku', '/body/items/0/qty', '/body/password'],
  },
  {
    name: 'a __proto__ key',
    body: `{"items":[],"password":"correct horse","__proto__":{"admin":true}}`,
    status: 400,
    code: 'MALFORMED_BODY',
  },
  {
    name: 'a constructor.prototype key deep down',
    body: `{"items":[{"sku":"a","qty":1,"x":{"constructor":{"prototype":{"admin":true}}}}],"password":"correct horse"}`,
    status: 400,
    code: 'MALFORMED_BODY',
  },
  {
    name: 'a 10 MB body',
    body: new Uint8Array(10 * 1024 * 1024).fill(0x20),
    status: 413,
    code: 'CONTENT_TOO_LARGE',
  },
  {
    name: 'invalid UTF-8',
    body: new Uint8Array([...new TextEncoder().encode('{"items":[],"password":"'), 0xff, 0xfe, 0x22, 0x7d]),
    status: 400,
    code: 'MALFORMED_BODY',
  },
  { name: 'deeply nested JSON', body: nested(5000), status: 400, code: 'MALFORMED_BODY' },
  { name: 'malformed JSON', body: '{"items":[', status: 400, code: 'MALFORMED_BODY' },
  { name: 'an empty body', body: '', status: 400, code: 'MALFORMED_BODY' },
  {
    name: 'a body that is not JSON',
    headers: { 'content-type': 'text/plain' },
    body: goodBody,
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
  },
];

/** Sends one bad request and checks the problem+json answer. */
export async function expectRefused(base: string, bad: BadCase): Promise<Record<string, unknown>> {
  const response = await fetch(`${base}${bad.path ?? '/orders/7'}`, {
    method: 'POST',
    headers: bad.headers ?? json,
    body: bad.body ?? goodBody,
  });
  const text = await response.text();
  expect(response.status, `${bad.name}: ${text}`).toBe(bad.status);
  expect(response.headers.get('content-type')).toBe('application/problem+json');
  expect(Number(response.headers.get('content-length'))).toBe(Buffer.byteLength(text));
  const problem = JSON.parse(text) as Record<string, unknown>;
  expect(problem).toMatchObject({ status: bad.status, code: bad.code });
  if (bad.pointers !== undefined) {
    const errors = problem.errors as Array<{ pointer: string; message: string; code: string }>;
    expect(errors.map((error) => error.pointer)).toEqual(bad.pointers);
    for (const error of errors)
      expect(error).toEqual({
        pointer: expect.any(String),
        message: expect.any(String),
        code: expect.any(String),
      });
  }
  return problem;
}

/** A good request: 201 with exactly the response schema's fields. */
export async function expectServed(base: string): Promise<void> {
  const response = await fetch(`${base}/orders/7?page=2&tags=a&tags=b`, {
    method: 'POST',
    headers: { ...json, 'x-priority': '3' },
    body: goodBody,
  });
  const text = await response.text();
  expect(response.status, text).toBe(201);
  expect(JSON.parse(text)).toEqual({
    id: 7,
    page: 2,
    tags: ['a', 'b'],
    priority: 3,
    items: [{ sku: 'a', qty: 2 }],
    createdAt: '2026-01-01T00:00:00.000Z',
  });
  expect(text).not.toContain('never-sent');
  expect(text).not.toContain('correct horse');
}
