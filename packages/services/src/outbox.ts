// The transactional outbox: an event is a row written by the same transaction as the business
// change, so it exists exactly when the change committed. The relay (relay.ts) delivers it later.
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { assertNumber, ServicesError } from './errors.js';
import { queryRows, quoteTable, type SqlExecutor, tableIdentifier } from './sql-statement.js';
import type { Transactions } from './transactions.js';
import type { DomainEvent } from './unit-of-work.js';

/** The outbox table's name, `plinth_outbox` by default; `schema.table` is allowed. */
export interface OutboxTableOptions {
  table?: string;
}

/** An event for the outbox: a domain event, optionally with its id and transport headers. */
export interface OutboxEvent extends DomainEvent {
  /** A UUID; generated when absent. Consumers deduplicate on it. */
  readonly id?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

/** Writes events into the outbox table inside the ambient transaction. */
export interface Outbox {
  /** Writes `event` in the open transaction (throws ERR_SERVICES_NO_TRANSACTION outside one); resolves with its id. */
  add(event: OutboxEvent): Promise<string>;
  /** Creates the table and its index if they do not exist (or put {@link outboxTableSql} in a migration). */
  install(): Promise<void>;
  /** Deletes delivered rows older than `olderThan` ms; resolves with how many (run it from a scheduled job). */
  purgeDelivered(olderThan: number): Promise<number>;
  /** Makes dead rows pending again with a fresh attempt count (after fixing the sink); resolves with how many. */
  requeueDead(): Promise<number>;
}

export const defaultOutboxTable = 'plinth_outbox';

/**
 * The DDL of the outbox table, to copy into a migration (drizzle-kit: a custom migration).
 * `status` goes pending → delivered, or pending → dead after the relay's last attempt.
 */
export function outboxTableSql(options: OutboxTableOptions = {}): string {
  return outboxStatements(options).join('\n');
}

function outboxStatements(options: OutboxTableOptions): string[] {
  const name = options.table ?? defaultOutboxTable;
  const quoted = quoteTable('table', name);
  const index = `"${name.split('.').at(-1)}_pending"`;
  return [
    [
      `create table if not exists ${quoted} (`,
      '  id bigint generated always as identity primary key,',
      '  event_id uuid not null unique,',
      '  type text not null,',
      '  payload jsonb not null,',
      `  headers jsonb not null default '{}'::jsonb,`,
      `  status text not null default 'pending' check (status in ('pending', 'delivered', 'dead')),`,
      '  attempts integer not null default 0,',
      '  available_at timestamptz not null default now(),',
      '  created_at timestamptz not null default now(),',
      '  delivered_at timestamptz,',
      '  last_error text',
      ');',
    ].join('\n'),
    `create index if not exists ${index} on ${quoted} (available_at, id) where status = 'pending';`,
  ];
}

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function validate(event: OutboxEvent): string {
  if (typeof event?.type !== 'string' || event.type === '') {
    throw new ServicesError(
      'ERR_SERVICES_INVALID_OPTION',
      'An outbox event needs a non-empty string `type`.',
    );
  }
  if (event.id !== undefined && !uuid.test(event.id)) {
    throw new ServicesError(
      'ERR_SERVICES_INVALID_OPTION',
      `An outbox event id must be a UUID, got ${JSON.stringify(event.id)}; omit it to have one generated.`,
    );
  }
  return event.id ?? randomUUID();
}

/**
 * An outbox writing through `transactions`: `add()` joins the ambient transaction, so the event is
 * committed or rolled back with the business change.
 *
 * @example
 * const outbox = createOutbox(transactions);
 * await transactions.transactional(async () => {
 *   await transactions.db().insert(orders).values(order);
 *   await outbox.add({ type: 'order.placed', payload: { id: order.id } });
 * });
 */
export function createOutbox<Handle extends SqlExecutor>(
  transactions: Transactions<Handle>,
  options: OutboxTableOptions = {},
): Outbox {
  const table = tableIdentifier('table', options.table ?? defaultOutboxTable);
  const ddl = outboxStatements(options);
  return {
    async add(event) {
      const id = validate(event);
      if (!transactions.inTransaction()) {
        throw new ServicesError(
          'ERR_SERVICES_NO_TRANSACTION',
          'outbox.add() needs an open transaction, the one of the business change; call it inside transactional().',
        );
      }
      await transactions.db().execute(sql`
        insert into ${table} (event_id, type, payload, headers)
        values (${id}, ${event.type}, ${JSON.stringify(event.payload ?? null)}::jsonb, ${JSON.stringify(event.headers ?? {})}::jsonb)`);
      return id;
    },
    async purgeDelivered(olderThan) {
      assertNumber('olderThan', olderThan, 0);
      const rows = await queryRows(
        transactions.db(),
        sql`delete from ${table} where status = 'delivered' and delivered_at < now() - ${olderThan} * interval '1 millisecond' returning id`,
      );
      return rows.length;
    },
    async requeueDead() {
      const rows = await queryRows(
        transactions.db(),
        sql`update ${table} set status = 'pending', attempts = 0, available_at = now() where status = 'dead' returning id`,
      );
      return rows.length;
    },
    async install() {
      // One statement a query: the extended protocol (postgres.js) refuses several at once.
      for (const statement of ddl) await transactions.runner.client.execute(sql.raw(statement));
    },
  };
}
