// The outbox relay: claims pending outbox rows with FOR UPDATE SKIP LOCKED, hands each to the
// EventSink and marks it delivered in the same transaction. A relay that dies mid-batch (SIGKILL,
// lost connection) holds no lock any more once PostgreSQL notices, and its rows are still pending:
// the next poll of any relay delivers them again (at least once). Locked rows are skipped, so
// several relays share the work and never send the same row at the same time.
import { sql } from 'drizzle-orm';
import { assertNumber, ServicesError } from './errors.js';
import type { EventSink, OutboxMessage } from './event-sink.js';
import { defaultOutboxTable } from './outbox.js';
import { queryRows, type SqlExecutor, tableIdentifier } from './sql-statement.js';

/** The part of a drizzle database the relay calls: its own transactions. */
export interface RelayDatabase extends SqlExecutor {
  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T>;
}

/** Options of {@link createOutboxRelay}. Durations are in milliseconds. */
export interface OutboxRelayOptions {
  /** Your drizzle database (not a transaction): the relay opens one transaction per batch. */
  db: RelayDatabase;
  sink: EventSink;
  /** The outbox table, as given to createOutbox(). Default `plinth_outbox`. */
  table?: string;
  /** Rows claimed per transaction. Default 50. */
  batchSize?: number;
  /** Wait between polls when the outbox was drained. Default 1000. */
  pollInterval?: number;
  /** Attempts in all before a row is marked dead. Default 10. */
  maxAttempts?: number;
  /** Delay before retry `attempt` (1 = the first retry). Default: 1 s doubling up to 5 min, with jitter. */
  retryDelay?: (attempt: number) => number;
  /** A send running longer than this fails (and is retried). Default 30 000. */
  sendTimeout?: number;
  /** Told about failed sends and failed polls (the relay keeps going). Default: console.error. */
  onError?: (error: unknown, message?: OutboxMessage) => void;
}

/** What one poll did. */
export interface RelayBatch {
  claimed: number;
  delivered: number;
  retried: number;
  dead: number;
}

/** A running (or runnable) relay; see {@link createOutboxRelay}. */
export interface OutboxRelay {
  /** Claims and delivers one batch now. */
  runOnce(): Promise<RelayBatch>;
  /** Polls until close(): batch after batch while rows are waiting, then every `pollInterval`. */
  start(): void;
  /** Stops polling and waits for the send in flight (at most `sendTimeout`); the rest of its batch stays pending. */
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

interface OutboxRow {
  id: string | number;
  event_id: string;
  type: string;
  payload: unknown;
  headers: Record<string, string> | string | null;
  attempts: number;
  created_at: Date | string;
}

/** 1 s, 2 s, 4 s ... up to 5 min, each between half and the whole of that (jitter spreads retries). */
export function defaultRetryDelay(attempt: number): number {
  const ceiling = Math.min(300_000, 1_000 * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
}

function validate(options: OutboxRelayOptions): void {
  if (typeof options?.db?.transaction !== 'function') {
    throw new ServicesError(
      'ERR_SERVICES_INVALID_OPTION',
      'createOutboxRelay needs `db`, your drizzle database.',
    );
  }
  if (typeof options.sink?.send !== 'function') {
    throw new ServicesError(
      'ERR_SERVICES_INVALID_OPTION',
      'createOutboxRelay needs `sink`, an EventSink with send(message, signal).',
    );
  }
  assertNumber('batchSize', options.batchSize ?? 50, 1);
  assertNumber('pollInterval', options.pollInterval ?? 1000, 0);
  assertNumber('maxAttempts', options.maxAttempts ?? 10, 1);
  assertNumber('sendTimeout', options.sendTimeout ?? 30_000, 1);
}

function messageOf(row: OutboxRow): OutboxMessage {
  const headers = typeof row.headers === 'string' ? JSON.parse(row.headers) : (row.headers ?? {});
  const payload = typeof row.payload === 'string' ? JSON.parse(row.payload) : row.payload;
  return {
    id: row.event_id,
    type: row.type,
    payload,
    headers,
    createdAt: new Date(row.created_at),
    attempt: Number(row.attempts) + 1,
  };
}

/** Runs `sink.send`, failing it when it outlives `timeout`. */
async function send(sink: EventSink, message: OutboxMessage, timeout: number) {
  const signal = AbortSignal.timeout(timeout);
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () =>
      reject(
        new ServicesError(
          'ERR_SERVICES_SINK_TIMEOUT',
          `The sink ${sink.name ?? ''} did not accept event ${message.id} within ${timeout} ms; it will be retried. Raise sendTimeout if the transport is slow.`,
        ),
      );
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    await Promise.race([sink.send(message, signal), aborted]);
  } finally {
    if (onAbort) signal.removeEventListener('abort', onAbort);
  }
}

/**
 * A relay delivering the outbox to `sink`, at least once, retrying with backoff and marking a row
 * dead after `maxAttempts`. Run one per process, as many processes as you like. The transaction of
 * a batch stays open while the sink runs (that is what keeps the rows locked), so keep sends short
 * and leave the relay a connection of its own in the pool.
 *
 * @example
 * const relay = createOutboxRelay({ db, sink: { send: (m) => queue.add(m.type, m) } });
 * relay.start();
 * // on shutdown: await relay.close();
 */
export function createOutboxRelay(options: OutboxRelayOptions): OutboxRelay {
  validate(options);
  const { db, sink, batchSize = 50, pollInterval = 1000, maxAttempts = 10, sendTimeout = 30_000 } = options;
  const retryDelay = options.retryDelay ?? defaultRetryDelay;
  const onError = options.onError ?? ((error: unknown) => console.error(error));
  const table = tableIdentifier('table', options.table ?? defaultOutboxTable);
  const closing = new AbortController();
  let loop: Promise<void> | undefined;
  let wake: (() => void) | undefined;

  /** Sends one row; a failure is recorded at once, a success joins `delivered` for one update. */
  async function settle(
    tx: SqlExecutor,
    row: OutboxRow,
    batch: RelayBatch,
    delivered: string[],
  ): Promise<void> {
    const message = messageOf(row);
    try {
      await send(sink, message, sendTimeout);
      delivered.push(String(row.id));
      batch.delivered++;
    } catch (error) {
      onError(error, message);
      const dead = message.attempt >= maxAttempts;
      const delay = dead ? 0 : Math.max(0, Math.round(retryDelay(message.attempt)));
      await tx.execute(sql`
        update ${table}
        set attempts = attempts + 1, last_error = ${String((error as Error)?.message ?? error).slice(0, 2000)},
            status = ${dead ? 'dead' : 'pending'},
            available_at = now() + ${delay} * interval '1 millisecond'
        where id = ${row.id}`);
      if (dead) batch.dead++;
      else batch.retried++;
    }
  }

  async function runOnce(): Promise<RelayBatch> {
    return db.transaction(async (tx) => {
      const rows = await queryRows<OutboxRow>(
        tx,
        sql`select id, event_id, type, payload, headers, attempts, created_at from ${table}
            where status = 'pending' and available_at <= now()
            order by id limit ${batchSize}
            for update skip locked`,
      );
      const batch: RelayBatch = { claimed: rows.length, delivered: 0, retried: 0, dead: 0 };
      const delivered: string[] = [];
      for (const row of rows) {
        if (closing.signal.aborted) break; // unsent rows stay pending when the transaction commits
        await settle(tx, row, batch, delivered);
      }
      // One statement for the batch's successes (bench: outbox relay throughput), in the same
      // transaction as the claim: a crash before the commit leaves them all pending, to be resent.
      if (delivered.length > 0) {
        await tx.execute(sql`
          update ${table} set status = 'delivered', attempts = attempts + 1, delivered_at = now(), last_error = null
          where id in (${sql.join(
            delivered.map((id) => sql`${id}::bigint`),
            sql`, `,
          )})`);
      }
      return batch;
    });
  }

  async function poll(): Promise<void> {
    while (!closing.signal.aborted) {
      let full = false;
      try {
        full = (await runOnce()).claimed === batchSize;
      } catch (error) {
        onError(error);
      }
      if (full || closing.signal.aborted) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, pollInterval);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  async function close(): Promise<void> {
    closing.abort();
    wake?.();
    await loop;
  }

  return {
    runOnce,
    start() {
      if (closing.signal.aborted) {
        throw new ServicesError('ERR_SERVICES_INVALID_OPTION', 'This relay was closed; create a new one.');
      }
      loop ??= poll();
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}
