-- The transactional outbox of @plinth/services (outboxTableSql()): domain events written in the same
-- transaction as the change, delivered by the relay started in main.ts.
create table if not exists "plinth_outbox" (
  id bigint generated always as identity primary key,
  event_id uuid not null unique,
  type text not null,
  payload jsonb not null,
  headers jsonb not null default '{}'::jsonb,
  status text not null default 'pending' check (status in ('pending', 'delivered', 'dead')),
  attempts integer not null default 0,
  available_at timestamptz not null default now(),
  created_at timestamptz not null default now(),
  delivered_at timestamptz,
  last_error text
);
--> statement-breakpoint
create index if not exists "plinth_outbox_pending" on "plinth_outbox" (available_at, id) where status = 'pending';
