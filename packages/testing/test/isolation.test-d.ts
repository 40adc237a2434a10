// isolate() hands out the transaction type of the database it was given, with savepoint-backed
// begin()/transaction() where the client lacks one.
import type { PGlite, Transaction } from '@electric-sql/pglite';
import type { PgliteDatabase } from 'drizzle-orm/pglite';
import type { PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import type postgres from 'postgres';
import { describe, expectTypeOf, it } from 'vitest';
import { type IsolatedOf, isolate } from '../src/index.js';

describe('IsolatedOf', () => {
  it('is the drizzle transaction for a drizzle database', () => {
    type Tx = IsolatedOf<PgliteDatabase>;
    expectTypeOf<Tx>().toHaveProperty('select');
    expectTypeOf<Tx>().toHaveProperty('transaction');
    expectTypeOf<Tx>().toHaveProperty('rollback');
    expectTypeOf<IsolatedOf<PostgresJsDatabase>>().toHaveProperty('insert');
  });

  it("is postgres.js's TransactionSql with begin() for a postgres.js sql", () => {
    type Tx = IsolatedOf<postgres.Sql>;
    expectTypeOf<Tx>().toMatchTypeOf<postgres.TransactionSql>();
    expectTypeOf<Tx>().toHaveProperty('begin');
    expectTypeOf<Tx>().toHaveProperty('savepoint');
  });

  it("is PGlite's Transaction with transaction() for a PGlite instance", () => {
    type Tx = IsolatedOf<PGlite>;
    expectTypeOf<Tx>().toMatchTypeOf<Transaction>();
    expectTypeOf<Tx['transaction']>().toBeFunction();
  });

  it('rejects what it cannot isolate at compile time', async () => {
    expectTypeOf<IsolatedOf<{ query(): void }>>().toBeNever();
    expectTypeOf(isolate<PGlite>).returns.resolves.toHaveProperty('rollback');
    expectTypeOf(isolate<PGlite>).returns.resolves.toHaveProperty('db');
  });
});
