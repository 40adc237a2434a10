// The transactional outbox and its relay on PostgreSQL and PGlite: an event exists exactly when its
// transaction committed; the relay delivers it, retries with backoff and marks it dead in the end.
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createOutbox, createOutboxRelay, defaultRetryDelay } from '../src/drizzle.js';
import { memorySink, type OutboxMessage, ServicesError } from '../src/index.js';
import { checkPostgres, engines, postgresEngine } from './support/engines.js';
import { openOutboxDb, placeOrder, rowsOf } from './support/outbox-db.js';

const quiet = () => {};

for (const engine of await engines()) {
  describe(`outbox on ${engine.name}`, async () => {
    const store = await openOutboxDb(engine);
    const { db, transactions, outbox } = store;
    const reset = () => db.execute(sql`truncate plinth_outbox, orders`);

    it('writes the event in the transaction of the business change, with its payload and headers', async () => {
      await reset();
      const id = await transactions.transactional(async () => {
        await transactions.db().execute(sql`insert into orders (id) values ('o1')`);
        return outbox.add({
          type: 'order.placed',
          payload: { id: 'o1', total: 3 },
          headers: { tenant: 't1' },
        });
      });
      const sink = memorySink();
      await createOutboxRelay({ db, sink }).runOnce();
      expect(sink.messages).toMatchObject([
        { id, type: 'order.placed', payload: { id: 'o1', total: 3 }, headers: { tenant: 't1' }, attempt: 1 },
      ]);
      expect(sink.messages[0]?.createdAt).toBeInstanceOf(Date);
    });

    it('leaves no event (and no order) behind a rolled-back transaction', async () => {
      await reset();
      await expect(
        transactions.transactional(async () => {
          await transactions.db().execute(sql`insert into orders (id) values ('o2')`);
          await outbox.add({ type: 'order.placed', payload: { id: 'o2' } });
          throw new Error('payment declined');
        }),
      ).rejects.toThrow('payment declined');
      expect(await store.rows()).toEqual([]);
      expect(rowsOf(await db.execute(sql`select id from orders`))).toEqual([]);
      const sink = memorySink();
      expect(await createOutboxRelay({ db, sink }).runOnce()).toMatchObject({ claimed: 0 });
      expect(sink.messages).toEqual([]);
    });

    it('refuses to write an event outside a transaction', async () => {
      await expect(outbox.add({ type: 'x', payload: 1 })).rejects.toMatchObject({
        code: 'ERR_SERVICES_NO_TRANSACTION',
      });
    });

    it('delivers each pending event once, in order, and marks it delivered', async () => {
      await reset();
      for (const id of ['a', 'b', 'c']) await placeOrder(store, id);
      const sink = memorySink();
      const relay = createOutboxRelay({ db, sink, batchSize: 2 });
      expect(await relay.runOnce()).toEqual({ claimed: 2, delivered: 2, retried: 0, dead: 0 });
      expect(await relay.runOnce()).toEqual({ claimed: 1, delivered: 1, retried: 0, dead: 0 });
      expect(await relay.runOnce()).toEqual({ claimed: 0, delivered: 0, retried: 0, dead: 0 });
      expect(sink.messages.map((message) => (message.payload as { id: string }).id)).toEqual(['a', 'b', 'c']);
      expect((await store.rows()).map((row) => [row.status, row.attempts])).toEqual([
        ['delivered', 1],
        ['delivered', 1],
        ['delivered', 1],
      ]);
    });

    it('retries a failed send after its backoff, then delivers it with the next attempt number', async () => {
      await reset();
      await placeOrder(store, 'r1');
      const sink = memorySink();
      sink.fail(1, new Error('broker down'));
      const errors: unknown[] = [];
      const relay = createOutboxRelay({
        db,
        sink,
        retryDelay: (attempt) => attempt * 60_000,
        onError: (error) => errors.push(error),
      });
      expect(await relay.runOnce()).toMatchObject({ claimed: 1, retried: 1 });
      const [row] = await store.rows();
      expect(row).toMatchObject({ status: 'pending', attempts: 1, last_error: 'broker down' });
      expect(row?.due_in_ms).toBeGreaterThan(50_000);
      expect(errors).toHaveLength(1);
      expect(await relay.runOnce()).toMatchObject({ claimed: 0 }); // not due yet
      await store.makeDue();
      expect(await relay.runOnce()).toMatchObject({ claimed: 1, delivered: 1 });
      expect(sink.messages.map((message) => message.attempt)).toEqual([2]);
    });

    it('marks an event dead after maxAttempts and never sends it again', async () => {
      await reset();
      await placeOrder(store, 'd1');
      const sink = memorySink();
      sink.fail(10, new Error('rejected by the broker'));
      const relay = createOutboxRelay({ db, sink, maxAttempts: 3, retryDelay: () => 0, onError: quiet });
      for (let run = 0; run < 3; run++) await relay.runOnce();
      expect(await store.rows()).toMatchObject([
        { status: 'dead', attempts: 3, last_error: 'rejected by the broker' },
      ]);
      sink.fail(0);
      expect(await relay.runOnce()).toMatchObject({ claimed: 0 });
      expect(sink.messages).toEqual([]);
    });

    it('requeues dead events on demand and purges delivered ones past their age', async () => {
      await reset();
      await placeOrder(store, 'q1');
      const sink = memorySink();
      sink.fail(1, new Error('down'));
      const relay = createOutboxRelay({ db, sink, maxAttempts: 1, onError: quiet });
      expect(await relay.runOnce()).toMatchObject({ dead: 1 });
      expect(await outbox.requeueDead()).toBe(1);
      expect(await relay.runOnce()).toMatchObject({ delivered: 1 });
      expect(await outbox.purgeDelivered(60_000)).toBe(0); // delivered just now
      await db.execute(sql`update plinth_outbox set delivered_at = now() - interval '2 minutes'`);
      expect(await outbox.purgeDelivered(60_000)).toBe(1);
      expect(await store.rows()).toEqual([]);
    });

    it('fails a send that outlives sendTimeout and retries it, aborting the signal the sink got', async () => {
      await reset();
      await placeOrder(store, 't1');
      let signal: AbortSignal | undefined;
      const errors: unknown[] = [];
      const relay = createOutboxRelay({
        db,
        sink: {
          name: 'stuck',
          send: (_message, given) => {
            signal = given;
            return new Promise(() => {});
          },
        },
        sendTimeout: 20,
        onError: (error) => errors.push(error),
      });
      expect(await relay.runOnce()).toMatchObject({ retried: 1 });
      expect(signal?.aborted).toBe(true);
      expect(errors[0]).toMatchObject({ code: 'ERR_SERVICES_SINK_TIMEOUT' });
    });

    it('polls after start() until close(), which waits for the batch in flight', async () => {
      await reset();
      const received: OutboxMessage[] = [];
      let done!: () => void;
      const all = new Promise<void>((resolve) => (done = resolve));
      const relay = createOutboxRelay({
        db,
        pollInterval: 5,
        sink: {
          async send(message) {
            received.push(message);
            if (received.length === 3) done();
          },
        },
      });
      relay.start();
      for (const id of ['p1', 'p2', 'p3']) await placeOrder(store, id);
      await all;
      await relay.close();
      expect(received.map((message) => (message.payload as { id: string }).id)).toEqual(['p1', 'p2', 'p3']);
      expect(() => relay.start()).toThrow(ServicesError);
    });
  });
}

describe('outbox options', () => {
  it('refuses a table name that is not an identifier, and a relay without db or sink', () => {
    expect(() => createOutbox({} as never, { table: 'outbox; drop table users' })).toThrow(
      /table must be a table name/,
    );
    expect(() => createOutboxRelay({ sink: memorySink() } as never)).toThrow(/needs `db`/);
    expect(() => createOutboxRelay({ db: { transaction() {} }, sink: {} } as never)).toThrow(/needs `sink`/);
    expect(() =>
      createOutboxRelay({ db: { transaction() {} }, sink: memorySink(), batchSize: 0 } as never),
    ).toThrow(/batchSize must be a finite number ≥ 1/);
  });

  it('backs off 1 s, 2 s, 4 s ... up to 5 min, each between half and the whole', () => {
    for (const [attempt, ceiling] of [
      [1, 1000],
      [2, 2000],
      [3, 4000],
      [30, 300_000],
    ] as const) {
      for (let draw = 0; draw < 20; draw++) {
        const delay = defaultRetryDelay(attempt);
        expect(delay).toBeGreaterThanOrEqual(ceiling / 2);
        expect(delay).toBeLessThanOrEqual(ceiling);
      }
    }
  });
});

describe.runIf(await checkPostgres())('outbox relays side by side on postgres', () => {
  it('never sends one event from two relays at once, and delivers every event exactly once', async () => {
    const store = await openOutboxDb(postgresEngine, { max: 6 });
    await store.transactions.transactional(async () => {
      for (let index = 0; index < 200; index++) {
        await store.outbox.add({ type: 'tick', payload: { index } });
      }
    });
    const inFlight = new Set<string>();
    const overlaps: string[] = [];
    const delivered = new Map<string, number>();
    const byRelay = [0, 0];
    const sinkFor = (relay: number) => ({
      async send(message: OutboxMessage) {
        if (inFlight.has(message.id)) overlaps.push(message.id);
        inFlight.add(message.id);
        await new Promise((resolve) => setTimeout(resolve, 1));
        inFlight.delete(message.id);
        delivered.set(message.id, (delivered.get(message.id) ?? 0) + 1);
        byRelay[relay]!++;
      },
    });
    const relays = [0, 1].map((relay) =>
      createOutboxRelay({ db: store.db, sink: sinkFor(relay), batchSize: 20 }),
    );
    const drain = async (relay: (typeof relays)[number]) => {
      while ((await relay.runOnce()).claimed > 0) {}
    };
    await Promise.all([drain(relays[0]!), drain(relays[1]!), drain(relays[0]!), drain(relays[1]!)]);
    expect(overlaps).toEqual([]);
    expect(delivered.size).toBe(200);
    expect([...delivered.values()].every((count) => count === 1)).toBe(true);
    expect(byRelay[0]).toBeGreaterThan(0);
    expect(byRelay[1]).toBeGreaterThan(0);
    expect((await store.rows()).every((row) => row.status === 'delivered')).toBe(true);
  });
});
