// The README's 30-second example, run as written, answers what the README shows.
import { createApp, text } from '@plinth/http';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { validate } from '../src/fetch.js';
import { serialize } from '../src/index.js';

const createOrder = {
  params: z.object({ shopId: z.number().int() }),
  querystring: z.object({ dryRun: z.boolean().default(false), tags: z.array(z.string()).optional() }),
  body: z.object({ items: z.array(z.object({ sku: z.string(), qty: z.number().int().min(1) })) }),
  response: {
    201: z.object({ id: z.string(), items: z.array(z.object({ sku: z.string(), qty: z.number() })) }),
  },
};

const app = createApp();
const order = validate(createOrder);
app.post('/shops/:shopId/orders', { middleware: [order], meta: { schema: createOrder } }, (ctx) => {
  const { params, querystring, body } = order.input(ctx);
  const saved = { id: 'o-1', shopId: params.shopId, dryRun: querystring.dryRun, ...body, costPrice: 3 };
  return text(serialize(createOrder.response[201], saved), {
    status: 201,
    headers: { 'content-type': 'application/json' },
  });
});

function post(body: string) {
  return app.fetch(
    new Request('http://localhost/shops/42/orders?tags=a&tags=b', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    }),
  );
}

describe('README example', () => {
  it('answers the 400 problem the README shows', async () => {
    const response = await post('{"items":[{"sku":"a","qty":0}]}');
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(await response.json()).toEqual({
      type: 'about:blank',
      title: 'Bad Request',
      status: 400,
      detail: 'The request is invalid: /body/items/0/qty Too small: expected number to be >=1.',
      code: 'VALIDATION_FAILED',
      errors: [
        { pointer: '/body/items/0/qty', message: 'Too small: expected number to be >=1', code: 'too_small' },
      ],
    });
  });

  it('answers 201 with only the fields of the response schema', async () => {
    const response = await post('{"items":[{"sku":"a","qty":2}]}');
    expect(response.status).toBe(201);
    expect(await response.text()).toBe('{"id":"o-1","items":[{"sku":"a","qty":2}]}');
  });
});
