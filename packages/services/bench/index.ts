// What ambient transactions and the outbox cost, measured: transactional() + db() against a raw
// drizzle transaction on the same pool (PostgreSQL at DATABASE_URL, else PGlite), the bare overhead
// on the memory runner, and outbox relay throughput (one relay, two side by side). Interleaved
// rounds, medians. Writes bench/results.json and the README table. BENCH_SMOKE=1: a short run.
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { createOutbox, createOutboxRelay, drizzleRunner } from '../src/drizzle.js';
import { createTransactions, memoryRunner } from '../src/index.js';

type Db = PgDatabase<PgQueryResultHKT>;
interface Result {
  case: string;
  subject: string;
  median: number;
  unit: string;
}

const smoke = process.env.BENCH_SMOKE === '1';
const rounds = smoke ? 2 : 7;
const roundMs = smoke ? 200 : 1500;
const outboxEvents = smoke ? 300 : 3000;
const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

/** Runs `fn` back to back for `ms`; returns microseconds per call. */
async function timePerCall(fn: () => Promise<unknown>, ms: number): Promise<number> {
  let calls = 0;
  const start = performance.now();
  const end = start + ms;
  while (performance.now() < end) {
    for (let batch = 0; batch < 20; batch++) await fn();
    calls += 20;
  }
  return ((performance.now() - start) * 1000) / calls;
}

/** Interleaved rounds: every subject once per round, the order rotating; the median per subject. */
async function interleaved(caseName: string, unit: string, subjects: Record<string, () => Promise<number>>) {
  const names = Object.keys(subjects);
  const samples = new Map(names.map((name) => [name, [] as number[]]));
  for (let round = 0; round < rounds; round++) {
    for (let index = 0; index < names.length; index++) {
      const name = names[(round + index) % names.length]!;
      samples.get(name)!.push(await subjects[name]!());
    }
  }
  return names.map((subject) => ({ case: caseName, subject, median: median(samples.get(subject)!), unit }));
}

async function openDatabase(): Promise<{ db: Db; engine: string; close(): Promise<void> }> {
  const probe = postgres(databaseUrl, { max: 1, connect_timeout: 3, onnotice: () => {} });
  try {
    await probe`select 1`;
  } catch {
    await probe.end({ timeout: 1 });
    const { PGlite } = await import('@electric-sql/pglite');
    const { drizzle } = await import('drizzle-orm/pglite');
    const pg = await PGlite.create();
    return { db: drizzle({ client: pg }) as unknown as Db, engine: 'PGlite', close: () => pg.close() };
  }
  const schema = `plinth_services_bench_${randomBytes(4).toString('hex')}`;
  await probe.unsafe(`create schema "${schema}"`);
  const client = postgres(databaseUrl, { max: 4, onnotice: () => {}, connection: { search_path: schema } });
  return {
    db: drizzlePostgres({ client }) as unknown as Db,
    engine: 'PostgreSQL 127.0.0.1, postgres.js pool of 4',
    async close() {
      await client.end({ timeout: 1 });
      await probe.unsafe(`drop schema "${schema}" cascade`);
      await probe.end({ timeout: 1 });
    },
  };
}

const results: Result[] = [];
const database = await openDatabase();
const { db } = database;
const transactions = createTransactions(drizzleRunner(db));
await db.execute(sql`create table counters (id int primary key, value int not null)`);
await db.execute(sql`insert into counters values (1, 0)`);
const repository = { find: (handle: Db) => handle.execute(sql`select value from counters where id = 1`) };

results.push(
  ...(await interleaved('transaction with one select by key', 'µs/op', {
    'raw drizzle db.transaction(tx => …)': () =>
      timePerCall(() => db.transaction((tx) => repository.find(tx)), roundMs),
    'transactional() + db()': () =>
      timePerCall(() => transactions.transactional(() => repository.find(transactions.db())), roundMs),
    'transactional() joined 3 deep': () =>
      timePerCall(
        () =>
          transactions.transactional(() =>
            transactions.transactional(() =>
              transactions.transactional(() => repository.find(transactions.db())),
            ),
          ),
        roundMs,
      ),
  })),
);

const memory = memoryRunner();
const memoryTransactions = createTransactions(memory);
results.push(
  ...(await interleaved('no database (memory runner): the bare overhead', 'µs/op', {
    'runner.begin(tx => …)': () => timePerCall(() => memory.begin(async (tx) => tx.get('k')), roundMs),
    'transactional() + db()': () =>
      timePerCall(
        () => memoryTransactions.transactional(async () => memoryTransactions.db().get('k')),
        roundMs,
      ),
  })),
);

const outbox = createOutbox(transactions);
await outbox.install();
async function relayThroughput(relays: number): Promise<number> {
  await db.execute(sql`truncate plinth_outbox`);
  await transactions.transactional(async () => {
    for (let index = 0; index < outboxEvents; index += 100) {
      const values = Array.from(
        { length: 100 },
        (_, offset) =>
          sql`(gen_random_uuid(), 'bench.tick', ${JSON.stringify({ index: index + offset })}::jsonb)`,
      );
      await transactions
        .db()
        .execute(
          sql`insert into plinth_outbox (event_id, type, payload) values ${sql.join(values, sql`, `)}`,
        );
    }
  });
  const start = performance.now();
  await Promise.all(
    Array.from({ length: relays }, async () => {
      const relay = createOutboxRelay({ db, sink: { send: async () => {} }, batchSize: 100 });
      while ((await relay.runOnce()).claimed > 0) {}
    }),
  );
  return Math.round(outboxEvents / ((performance.now() - start) / 1000));
}
results.push(
  ...(await interleaved(`outbox relay, ${outboxEvents} events, no-op sink`, 'events/s', {
    'one relay, batch 100': () => relayThroughput(1),
    'two relays side by side, batch 100': () => relayThroughput(2),
  })),
);
await database.close();

for (const result of results) result.median = Number(result.median.toFixed(result.unit === 'µs/op' ? 1 : 0));
writeFileSync(new URL('./results.json', import.meta.url), `${JSON.stringify(results, null, 2)}\n`);

const first = (result: Result) => results.find((other) => other.case === result.case)!;
const rows = results.map((result) => {
  const base = first(result);
  const ratio = result.unit === 'µs/op' ? `${(result.median / base.median).toFixed(2)}×` : '';
  return [result.case, result.subject, `${result.median} ${result.unit}`, ratio];
});
const table = [
  `Node ${process.version}, ${cpus().length} cores shared with other work, ${database.engine}; ${rounds} interleaved rounds of ${roundMs} ms (relay: ${outboxEvents} events a round), medians.${smoke ? ' Smoke run: numbers are rough.' : ''}`,
  '',
  ...markdownTable(['case', 'subject', 'median', 'time vs first'], [false, false, true, true], rows),
].join('\n');

/** A markdown table padded the way biome formats one, so the README stays lint-clean. */
function markdownTable(header: string[], right: boolean[], body: string[][]): string[] {
  const widths = header.map((title, column) =>
    Math.max(title.length, 3, ...body.map((row) => row[column]!.length)),
  );
  const line = (cells: string[]) =>
    `| ${cells.map((cell, column) => (right[column] ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!))).join(' | ')} |`;
  const rule = `| ${widths.map((width, column) => (right[column] ? `${'-'.repeat(width - 1)}:` : '-'.repeat(width))).join(' | ')} |`;
  return [line(header), rule, ...body.map(line)];
}
const readmeUrl = new URL('../README.md', import.meta.url);
const readme = readFileSync(readmeUrl, 'utf8');
const start = readme.indexOf('<!-- bench:start -->');
const end = readme.indexOf('<!-- bench:end -->');
if (start !== -1 && end > start) {
  writeFileSync(readmeUrl, `${readme.slice(0, start)}<!-- bench:start -->\n${table}\n${readme.slice(end)}`);
}
console.log(table);
