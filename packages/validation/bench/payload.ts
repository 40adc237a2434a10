// The payload every benchmark here uses: a typical DTO of 10 fields with a nested array of 20 objects,
// declared once as a zod schema and once as the equivalent JSON Schema (for fast-json-stringify / ajv).
import { z } from 'zod';

export const Line = z.object({
  sku: z.string(),
  name: z.string(),
  qty: z.number().int(),
  price: z.number(),
  discounted: z.boolean(),
});

export const Order = z.object({
  id: z.string(),
  customerId: z.string(),
  email: z.string(),
  status: z.enum(['open', 'paid', 'shipped']),
  currency: z.string(),
  total: z.number(),
  itemCount: z.number().int(),
  gift: z.boolean(),
  note: z.string().nullable(),
  lines: z.array(Line),
});

const lineJsonSchema: Record<string, unknown> = {
  type: 'object',
  properties: {
    sku: { type: 'string' },
    name: { type: 'string' },
    qty: { type: 'integer' },
    price: { type: 'number' },
    discounted: { type: 'boolean' },
  },
  required: ['sku', 'name', 'qty', 'price', 'discounted'],
};

export const orderJsonSchema: Record<string, unknown> = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    customerId: { type: 'string' },
    email: { type: 'string' },
    status: { type: 'string', enum: ['open', 'paid', 'shipped'] },
    currency: { type: 'string' },
    total: { type: 'number' },
    itemCount: { type: 'integer' },
    gift: { type: 'boolean' },
    note: { type: ['string', 'null'] },
    lines: { type: 'array', items: lineJsonSchema },
  },
  required: [
    'id',
    'customerId',
    'email',
    'status',
    'currency',
    'total',
    'itemCount',
    'gift',
    'note',
    'lines',
  ],
};

/** One order, as a handler would have it (with a field the response must not carry). */
export function sampleOrder() {
  const lines = Array.from({ length: 20 }, (_, index) => ({
    sku: `SKU-${1000 + index}`,
    name: `Product number ${index} "deluxe"`,
    qty: (index % 4) + 1,
    price: 9.99 + index,
    discounted: index % 3 === 0,
  }));
  return {
    id: 'ord_01HV3Z8K9Q',
    customerId: 'cus_01HV3Z8K9R',
    email: 'ada@example.com',
    status: 'paid' as const,
    currency: 'EUR',
    total: 1234.5,
    itemCount: 20,
    gift: false,
    note: null,
    lines,
    passwordHash: '$argon2id$v=19$m=65536,t=3,p=4$never-sent',
  };
}
