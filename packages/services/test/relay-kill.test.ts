// At least once, for real: a relay process is SIGKILLed after the business transaction committed
// and while it is handing the event to its sink, before it could mark it delivered. The event is
// still pending, and the next relay delivers it.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { drizzle } from 'drizzle-orm/postgres-js';
import { describe, expect, it } from 'vitest';
import { createOutbox, createOutboxRelay, drizzleRunner } from '../src/drizzle.js';
import { createTransactions, type OutboxMessage } from '../src/index.js';
import { checkPostgres, createSchema, databaseUrl, postgresClient } from './support/engines.js';
import { rowsOf } from './support/outbox-db.js';

const child = fileURLToPath(new URL('./fixtures/relay-child.ts', import.meta.url));

function startRelayProcess(schema: string): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', child], {
    env: { ...process.env, DATABASE_URL: databaseUrl, OUTBOX_SCHEMA: schema },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
}

/** The first "sending <id>" line of the child, or a failure naming what it printed. */
async function sendingLine(process: ChildProcess): Promise<string> {
  let output = '';
  for await (const chunk of process.stdout!) {
    output += String(chunk);
    const match = /sending (\S+)\n/.exec(output);
    if (match) return match[1]!;
  }
  throw new Error(`the relay process ended without sending anything: ${output}`);
}

describe.runIf(await checkPostgres())('relay killed between commit and dispatch (postgres)', () => {
  it('delivers the event through the next relay after SIGKILL', async () => {
    const schema = await createSchema();
    const db = drizzle({ client: postgresClient(schema) });
    const transactions = createTransactions(drizzleRunner(db));
    const outbox = createOutbox(transactions);
    await outbox.install();
    const id = await transactions.transactional(() =>
      outbox.add({ type: 'order.placed', payload: { id: 'k1' } }),
    );

    const relayProcess = startRelayProcess(schema);
    expect(await sendingLine(relayProcess)).toBe(id);
    relayProcess.kill('SIGKILL');
    const [code, signal] = await once(relayProcess, 'exit');
    expect([code, signal]).toEqual([null, 'SIGKILL']);

    const [row] = rowsOf<{ status: string; attempts: number }>(
      await db.execute('select status, attempts from plinth_outbox'),
    );
    expect(row).toEqual({ status: 'pending', attempts: 0 });

    // PostgreSQL ends the dead process's transaction when it sees its socket close, releasing the
    // row lock; until then the row is skipped, so the next relay simply polls.
    const delivered = new Promise<OutboxMessage>((resolve) => {
      const relay = createOutboxRelay({
        db,
        pollInterval: 20,
        sink: {
          async send(message) {
            resolve(message);
            void relay.close();
          },
        },
      });
      relay.start();
    });
    expect(await delivered).toMatchObject({ id, type: 'order.placed', payload: { id: 'k1' }, attempt: 1 });
    await expect
      .poll(async () => rowsOf(await db.execute('select status from plinth_outbox')))
      .toEqual([{ status: 'delivered' }]);
  });
});
