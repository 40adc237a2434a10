// An engine's database with the outbox installed, and a look at the outbox rows.
import { sql } from 'drizzle-orm';
import { createOutbox, drizzleRunner, type Outbox } from '../../src/drizzle.js';
import { createTransactions, type Transactions } from '../../src/index.js';
import type { Engine, TestDb } from './engines.js';

export interface OutboxRow {
  event_id: string;
  type: string;
  status: 'pending' | 'delivered' | 'dead';
  attempts: number;
  last_error: string | null;
  due_in_ms: number;
}

export interface OutboxDb {
  db: TestDb;
  transactions: Transactions<TestDb>;
  outbox: Outbox;
  rows(): Promise<OutboxRow[]>;
  /** Makes every pending row due now, as if its backoff had passed. */
  makeDue(): Promise<void>;
}

export const rowsOf = <Row>(result: unknown): Row[] =>
  (Array.isArray(result) ? result : (result as { rows: Row[] }).rows) as Row[];

/** A fresh database of `engine` with an orders table and the outbox. */
export async function openOutboxDb(engine: Engine, options: { max?: number } = {}): Promise<OutboxDb> {
  const db = await engine.open(options);
  const transactions = createTransactions(drizzleRunner(db));
  const outbox = createOutbox(transactions);
  await outbox.install();
  await db.execute(sql`create table orders (id text primary key)`);
  return {
    db,
    transactions,
    outbox,
    async rows() {
      return rowsOf<OutboxRow>(
        await db.execute(sql`
          select event_id::text, type, status, attempts,  last_error,
                 (extract(epoch from available_at - now()) * 1000)::int as due_in_ms
          from plinth_outbox order by id`),
      );
    },
    async makeDue() {
      await db.execute(sql`update plinth_outbox set available_at = now() where status = 'pending'`);
    },
  };
}

/** Places an order and writes its event in one transaction. */
export function placeOrder({ transactions, outbox }: OutboxDb, id: string): Promise<string> {
  return transactions.transactional(async () => {
    await transactions.db().execute(sql`insert into orders (id) values (${id})`);
    return outbox.add({ type: 'order.placed', payload: { id } });
  });
}
