// Transactions on postgres.js without its `sql.begin`: on a connection the server has just closed
// (failover, restart, pg_terminate_backend), `begin` still sends ROLLBACK, and postgres.js 3.4.9
// then writes to a null socket from a setImmediate — an uncaught TypeError that ends the process
// (porsager/postgres#1154, #1208). Here the transaction holds a reserved connection and sends
// ROLLBACK only while the connection lives; the server rolls back a dead session's transaction itself.
import type { ReservedSql, Sql } from 'postgres';
import { isUnavailable } from '../sql-state.js';

interface DrizzleSession {
  dialect: unknown;
  schema: unknown;
  options: unknown;
}
interface DrizzleTransaction {
  session: DrizzleSession;
  setTransaction(config: unknown): Promise<unknown>;
  transaction(fn: (tx: DrizzleTransaction) => Promise<unknown>): Promise<unknown>;
}
type SessionClass = new (
  client: ReservedSql,
  dialect: unknown,
  schema: unknown,
  options: unknown,
) => DrizzleSession;
type TransactionClass = new (
  dialect: unknown,
  session: DrizzleSession,
  schema: unknown,
  nestedIndex?: number,
) => DrizzleTransaction;

/** Runs `statement` unless the error that ended the work means the connection is gone. */
async function undo(reserved: ReservedSql, statement: string, error: unknown): Promise<void> {
  if (isUnavailable(error)) return;
  await reserved.unsafe(statement).catch(() => {});
}

function withSavepoints(
  tx: DrizzleTransaction,
  reserved: ReservedSql,
  Transaction: TransactionClass,
  depth: number,
): DrizzleTransaction {
  tx.transaction = async (fn) => {
    const name = `plinth_savepoint_${depth}`;
    await reserved.unsafe(`savepoint ${name}`);
    const inner = withSavepoints(
      new Transaction(tx.session.dialect, tx.session, tx.session.schema, depth),
      reserved,
      Transaction,
      depth + 1,
    );
    try {
      const result = await fn(inner);
      await reserved.unsafe(`release savepoint ${name}`);
      return result;
    } catch (error) {
      await undo(reserved, `rollback to savepoint ${name}`, error);
      throw error;
    }
  };
  return tx;
}

/** A `PgSession.transaction` for drizzle's postgres.js session that survives a dying connection. */
export function reservedTransaction(sql: Sql, Session: SessionClass, Transaction: TransactionClass) {
  return async function transaction(
    this: DrizzleSession,
    fn: (tx: DrizzleTransaction) => Promise<unknown>,
    config?: unknown,
  ): Promise<unknown> {
    const reserved = await sql.reserve();
    let lost = false;
    try {
      const session = new Session(reserved, this.dialect, this.schema, this.options);
      const tx = withSavepoints(
        new Transaction(this.dialect, session, this.schema),
        reserved,
        Transaction,
        1,
      );
      await reserved.unsafe('begin');
      try {
        if (config) await tx.setTransaction(config);
        const result = await fn(tx);
        await reserved.unsafe('commit');
        return result;
      } catch (error) {
        await undo(reserved, 'rollback', error);
        throw error;
      }
    } catch (error) {
      lost = isUnavailable(error);
      throw error;
    } finally {
      // A dead connection is not released: postgres.js' release() would put it back among the open
      // ones, where the next query is written to its null socket. Its close already returned it to
      // the pool's closed connections, which reconnect on demand.
      if (!lost) reserved.release();
    }
  };
}
