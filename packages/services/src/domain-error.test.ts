import { describe, expect, it } from 'vitest';
import { assertNever, DomainError, isDomainError, matchError } from './domain-error.js';

class InsufficientFunds extends DomainError<'INSUFFICIENT_FUNDS', { balance: number }> {}
class AccountClosed extends DomainError<'ACCOUNT_CLOSED'> {}
type TransferError = InsufficientFunds | AccountClosed;

describe('DomainError', () => {
  it('keeps its code, message, details and cause, named after its class', () => {
    const cause = new Error('row locked');
    const error = new InsufficientFunds('INSUFFICIENT_FUNDS', 'The balance is too low.', {
      details: { balance: 3 },
      cause,
    });
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({
      name: 'InsufficientFunds',
      code: 'INSUFFICIENT_FUNDS',
      message: 'The balance is too low.',
      details: { balance: 3 },
      cause,
    });
  });

  it('is recognised by a Symbol.for brand, so another build of the package recognises it too', () => {
    const error = new AccountClosed('ACCOUNT_CLOSED', 'closed');
    expect(isDomainError(error)).toBe(true);
    const fromOtherBuild = Object.assign(
      Object.create({ [Symbol.for('@plinth/services.DomainError')]: true }),
      {
        code: 'X',
      },
    );
    expect(isDomainError(fromOtherBuild)).toBe(true);
    expect(isDomainError(Object.assign(new Error('plain'), { code: 'ACCOUNT_CLOSED' }))).toBe(false);
    expect(isDomainError(null)).toBe(false);
  });

  it('matchError calls the handler of the code, with the narrowed error', () => {
    const describeError = (error: TransferError) =>
      matchError(error, {
        INSUFFICIENT_FUNDS: (e) => `short by ${10 - e.details.balance}`,
        ACCOUNT_CLOSED: () => 'closed',
      });
    expect(
      describeError(new InsufficientFunds('INSUFFICIENT_FUNDS', 'low', { details: { balance: 4 } })),
    ).toBe('short by 6');
    expect(describeError(new AccountClosed('ACCOUNT_CLOSED', 'closed'))).toBe('closed');
  });

  it('matchError names a code it has no handler for (when types were bypassed)', () => {
    expect(() => matchError({ code: 'NEW_CASE' } as unknown as TransferError, {} as never)).toThrow(
      'matchError has no handler for code "NEW_CASE"',
    );
  });

  it('assertNever throws naming the value that slipped through', () => {
    expect(() => assertNever('surprise' as never)).toThrow('Unhandled case: "surprise"');
  });
});
