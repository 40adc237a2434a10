// Exhaustiveness, proven by the compiler: a missing case in matchError, in a switch over codes or
// in an HTTP status table fails to compile; Results narrow on `ok`.

import type { PgliteDatabase } from 'drizzle-orm/pglite';
import type { PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import { describe, expectTypeOf, it } from 'vitest';
import { type DrizzleHandle, drizzleRunner } from '../src/drizzle.js';
import {
  assertNever,
  createTransactions,
  DomainError,
  httpErrorMapping,
  type MemoryStore,
  matchError,
  memoryRunner,
  type Result,
  type Transactions,
} from '../src/index.js';

class InsufficientFunds extends DomainError<'INSUFFICIENT_FUNDS', { balance: number }> {}
class AccountClosed extends DomainError<'ACCOUNT_CLOSED'> {}
type TransferError = InsufficientFunds | AccountClosed;
declare const error: TransferError;

describe('exhaustive handling', () => {
  it('matchError needs a handler for every code and narrows each', () => {
    matchError(error, {
      INSUFFICIENT_FUNDS: (e) => expectTypeOf(e.details.balance).toEqualTypeOf<number>(),
      ACCOUNT_CLOSED: (e) => expectTypeOf(e).toEqualTypeOf<AccountClosed>(),
    });
    // @ts-expect-error ACCOUNT_CLOSED is missing
    matchError(error, { INSUFFICIENT_FUNDS: () => 1 });
    // @ts-expect-error NOT_A_CODE is not a code of the union
    matchError(error, { INSUFFICIENT_FUNDS: () => 1, ACCOUNT_CLOSED: () => 2, NOT_A_CODE: () => 3 });
  });

  it('a switch with assertNever fails to compile when a case is missing', () => {
    const complete = (e: TransferError) => {
      switch (e.code) {
        case 'INSUFFICIENT_FUNDS':
          return 1;
        case 'ACCOUNT_CLOSED':
          return 2;
        default:
          return assertNever(e);
      }
    };
    const incomplete = (e: TransferError) => {
      switch (e.code) {
        case 'INSUFFICIENT_FUNDS':
          return 1;
        default:
          // @ts-expect-error AccountClosed is not never
          return assertNever(e);
      }
    };
    expectTypeOf(complete).toBeFunction();
    expectTypeOf(incomplete).toBeFunction();
  });

  it('the HTTP status table must name every code', () => {
    httpErrorMapping<TransferError>({ INSUFFICIENT_FUNDS: 409, ACCOUNT_CLOSED: { status: 410 } });
    // @ts-expect-error ACCOUNT_CLOSED is missing
    httpErrorMapping<TransferError>({ INSUFFICIENT_FUNDS: 409 });
  });

  it('a Result narrows to its value or its error', () => {
    const result = {} as Result<{ id: string }, TransferError>;
    if (result.ok) expectTypeOf(result.value.id).toEqualTypeOf<string>();
    else expectTypeOf(result.error.code).toEqualTypeOf<'INSUFFICIENT_FUNDS' | 'ACCOUNT_CLOSED'>();
  });
});

describe('handles', () => {
  it('db() is the runner handle: a drizzle database for drizzleRunner, a store for memoryRunner', () => {
    const pg = {} as PostgresJsDatabase<{ users: never }>;
    const lite = {} as PgliteDatabase;
    expectTypeOf(createTransactions(drizzleRunner(pg)).db()).toEqualTypeOf<DrizzleHandle<typeof pg>>();
    expectTypeOf(createTransactions(drizzleRunner(lite)).db().select).toBeFunction();
    expectTypeOf(createTransactions(memoryRunner())).toEqualTypeOf<Transactions<MemoryStore>>();
  });
});
