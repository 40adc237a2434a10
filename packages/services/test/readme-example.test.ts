// The README's 30-second example, run: a transfer service on drizzle's typed query builder through
// transactions.db(), an expected failure as a Result, an outbox event in the same transaction and
// an in-process event after the commit — on PostgreSQL and PGlite.
import { eq, sql } from 'drizzle-orm';
import { integer, pgTable, text } from 'drizzle-orm/pg-core';
import { describe, expect, it } from 'vitest';
import { createOutbox, createOutboxRelay, drizzleRunner } from '../src/drizzle.js';
import {
  createTransactions,
  DomainError,
  type DomainEvent,
  err,
  matchError,
  memorySink,
  ok,
  type Result,
} from '../src/index.js';
import { engines } from './support/engines.js';

const accounts = pgTable('accounts', { id: text('id').primaryKey(), balance: integer('balance').notNull() });

class InsufficientFunds extends DomainError<'INSUFFICIENT_FUNDS', { balance: number }> {}
class UnknownAccount extends DomainError<'UNKNOWN_ACCOUNT'> {}

for (const engine of await engines()) {
  describe(`README example on ${engine.name}`, async () => {
    const db = await engine.open();
    await db.execute(sql`create table accounts (id text primary key, balance integer not null)`);
    await db.insert(accounts).values([
      { id: 'alice', balance: 10 },
      { id: 'bob', balance: 0 },
    ]);
    const transactions = createTransactions(drizzleRunner(db));
    const outbox = createOutbox(transactions);
    await outbox.install();

    const accountRepository = {
      find: (id: string) => transactions.db().select().from(accounts).where(eq(accounts.id, id)),
      add: (id: string, amount: number) =>
        transactions
          .db()
          .update(accounts)
          .set({ balance: sql`${accounts.balance} + ${amount}` })
          .where(eq(accounts.id, id)),
    };

    const transfer = transactions.wrap(
      async (
        from: string,
        to: string,
        amount: number,
      ): Promise<Result<void, InsufficientFunds | UnknownAccount>> => {
        const [account] = await accountRepository.find(from);
        if (!account) return err(new UnknownAccount('UNKNOWN_ACCOUNT', `No account ${from}.`));
        if (account.balance < amount) {
          return err(
            new InsufficientFunds('INSUFFICIENT_FUNDS', 'The balance is too low.', {
              details: { balance: account.balance },
            }),
          );
        }
        await accountRepository.add(from, -amount);
        await accountRepository.add(to, amount);
        await outbox.add({ type: 'transfer.made', payload: { from, to, amount } });
        transactions.publish({ type: 'transfer.made', payload: { from, to } });
        return ok();
      },
    );

    const balances = async () =>
      Object.fromEntries((await db.select().from(accounts)).map((row) => [row.id, row.balance]));
    const published: DomainEvent[] = [];
    transactions.subscribe('transfer.made', (event) => {
      published.push(event);
    });

    it('moves the money, writes the outbox event and publishes after the commit', async () => {
      expect(await transfer('alice', 'bob', 4)).toEqual({ ok: true, value: undefined });
      expect(await balances()).toEqual({ alice: 6, bob: 4 });
      expect(published).toEqual([{ type: 'transfer.made', payload: { from: 'alice', to: 'bob' } }]);
      const sink = memorySink();
      await createOutboxRelay({ db, sink }).runOnce();
      expect(sink.messages.map((message) => message.payload)).toEqual([
        { from: 'alice', to: 'bob', amount: 4 },
      ]);
    });

    it('answers an expected failure as a Result and changes nothing', async () => {
      const result = await transfer('bob', 'alice', 50);
      expect(result.ok).toBe(false);
      if (result.ok) return;
      const message = matchError(result.error, {
        INSUFFICIENT_FUNDS: (error) => `balance ${error.details.balance}`,
        UNKNOWN_ACCOUNT: (error) => error.message,
      });
      expect(message).toBe('balance 4');
      expect(await balances()).toEqual({ alice: 6, bob: 4 });
      expect(published).toHaveLength(1);
    });
  });
}
