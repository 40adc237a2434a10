import { describe, expect, it } from 'vitest';
import { DomainError } from './domain-error.js';
import { DomainHttpError, httpErrorMapping } from './http-error.js';

class OutOfStock extends DomainError<'OUT_OF_STOCK', { sku: string }> {}
class PaymentGatewayDown extends DomainError<'PAYMENT_GATEWAY_DOWN'> {}
class RateExceeded extends DomainError<'RATE_EXCEEDED'> {}
type ShopError = OutOfStock | PaymentGatewayDown | RateExceeded;

const toHttp = httpErrorMapping<ShopError>({
  OUT_OF_STOCK: 409,
  PAYMENT_GATEWAY_DOWN: 503,
  RATE_EXCEEDED: { status: 429, title: 'Slow down', headers: { 'retry-after': '30' } },
});

describe('httpErrorMapping', () => {
  it('turns a domain error into an exposed http error with its code, message and details', () => {
    const cause = new OutOfStock('OUT_OF_STOCK', 'SKU 42 is out of stock.', { details: { sku: '42' } });
    const error = toHttp(cause) as DomainHttpError;
    expect(error).toBeInstanceOf(DomainHttpError);
    expect(error).toMatchObject({
      status: 409,
      statusCode: 409,
      expose: true,
      code: 'OUT_OF_STOCK',
      detail: 'SKU 42 is out of stock.',
      message: 'SKU 42 is out of stock.',
      details: { sku: '42' },
    });
    expect(error.cause).toBe(cause);
  });

  it('keeps a 5xx unexposed and carries the title and headers of the mapping', () => {
    const down = new PaymentGatewayDown('PAYMENT_GATEWAY_DOWN', 'gateway at 10.0.0.3 timed out');
    const error = toHttp(down) as DomainHttpError;
    expect(error).toMatchObject({ status: 503, expose: false, code: 'PAYMENT_GATEWAY_DOWN' });
    // Handlers that ignore expose send the message: it names no internals; the cause keeps them.
    expect(error.message).toBe('The domain error PAYMENT_GATEWAY_DOWN is answered with 503.');
    expect(error.cause).toBe(down);
    expect(toHttp(new RateExceeded('RATE_EXCEEDED', 'too many orders'))).toMatchObject({
      status: 429,
      title: 'Slow down',
      headers: { 'retry-after': '30' },
    });
  });

  it('makes a domain error missing from the table a 500, and passes other errors through', () => {
    const unknown = new DomainError('NOT_IN_TABLE', 'x');
    expect(toHttp(unknown)).toMatchObject({ status: 500, expose: false, code: 'NOT_IN_TABLE' });
    const plain = new Error('bug');
    expect(toHttp(plain)).toBe(plain);
    expect(toHttp('a string')).toBe('a string');
  });

  it('refuses a status outside 400–599 when the mapping is made', () => {
    expect(() => httpErrorMapping<OutOfStock>({ OUT_OF_STOCK: 200 })).toThrow(
      'The HTTP status of OUT_OF_STOCK must be an integer 400–599, got 200.',
    );
  });
});
