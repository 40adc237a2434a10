// @plinth/db against raw drizzle on postgres.js over the very same pool (raw drizzle is built on
// @plinth/db's own postgres.js client: one set of 10 connections, one set of options): select by
// primary key and insert one row, 10 callers at once, many short interleaved rounds; the verdict is
// the median of per-round ratios (each round of ours against the raw round next to it, the order
// alternating), so load from other processes hits a pair alike instead of skewing one median. Node's
// CPU time per operation is measured too, and once more with no server at all (an instant stand-in
// for postgres.js), which leaves only the per-query work in Node: what the wrapper adds. Then 500
// concurrent queries through 10 connections (errors, p50, p99). Needs PostgreSQL at DATABASE_URL;
// writes bench/results.json and the README table (`--no-readme` leaves the README as it is).
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { eq } from 'drizzle-orm';
import { integer, pgTable, serial, text } from 'drizzle-orm/pg-core';
import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { createDatabase } from '../src/index.js';

// Short rounds, many of them: a pair of neighbouring rounds sees the same machine.
const rounds = Number(process.env.BENCH_ROUNDS ?? 21);
const roundMs = Number(process.env.BENCH_ROUND_MS ?? 500);
const warmups = 3;
const callers = 10;
const baseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

interface Result {
  case: string;
  subject: string;
  median: number;
  unit: string;
  /** For ratios: the middle half of the per-round ratios (p25, p75). */
  range?: [number, number];
}

interface Sample {
  opsPerSecond: number;
  /** Node's CPU time (user + system) per operation, µs. */
  cpuPerOp: number;
}

const users = pgTable('bench_users', {
  id: serial('id').primaryKey(),
  name: text('name').notNull(),
  age: integer('age').notNull(),
});

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};
const round2 = (value: number) => Math.round(value * 100) / 100;
const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
};

type Db = ReturnType<typeof drizzle>;
const operations: Record<string, (db: Db) => Promise<unknown>> = {
  'select by primary key': (db) =>
    db
      .select()
      .from(users)
      .where(eq(users.id, 1 + Math.floor(Math.random() * 1000))),
  'insert one row': (db) => db.insert(users).values({ name: 'bench', age: 42 }),
};

/** Operations per second and CPU per operation of `operation`, `callers` at once, during one round. */
async function round(db: Db, operation: (db: Db) => Promise<unknown>): Promise<Sample> {
  let done = 0;
  const cpu = process.cpuUsage();
  const started = performance.now();
  const deadline = started + roundMs;
  await Promise.all(
    Array.from({ length: callers }, async () => {
      while (performance.now() < deadline) {
        await operation(db);
        done++;
      }
    }),
  );
  const elapsed = performance.now() - started;
  const used = process.cpuUsage(cpu);
  return { opsPerSecond: done / (elapsed / 1000), cpuPerOp: (used.user + used.system) / done };
}

/** The median of the per-round ratios ours ÷ theirs, with the middle half of them. */
function pairedRatio(ours: number[], theirs: number[]): { median: number; range: [number, number] } {
  const ratios = ours.map((value, index) => value / theirs[index]!);
  return {
    median: round2(median(ratios)),
    range: [round2(percentile(ratios, 25)), round2(percentile(ratios, 75))],
  };
}

// The wrapper alone: both subjects answered at once by a stand-in for postgres.js (the row a select by
// key returns), so what is left to measure is what each does per query in Node; CPU time, one caller,
// which other processes on the machine barely move.
const row = [7, 'seed', 42];
const instantClient = {
  options: { parsers: {}, serializers: {} },
  unsafe: () => Object.assign(Promise.resolve([]), { values: () => Promise.resolve([row]) }),
};
const cpuBatch = 5000;

/** CPU µs per select of `db` on the stand-in, over one batch. */
async function cpuPerSelect(db: Db): Promise<number> {
  const cpu = process.cpuUsage();
  for (let index = 0; index < cpuBatch; index++) await db.select().from(users).where(eq(users.id, 7));
  const used = process.cpuUsage(cpu);
  return (used.user + used.system) / cpuBatch;
}

/** 500 queries at once through the pool: how many failed, and the latency percentiles. */
async function burst(db: Db): Promise<{ errors: number; p50: number; p99: number }> {
  let errors = 0;
  const latencies = await Promise.all(
    Array.from({ length: 500 }, async () => {
      const started = performance.now();
      await operations['select by primary key']!(db).catch(() => {
        errors++;
      });
      return performance.now() - started;
    }),
  );
  return { errors, p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
}

const admin = postgres(baseUrl, { max: 1, onnotice: () => {} });
const name = `plinth_db_bench_${randomBytes(4).toString('hex')}`;
await admin.unsafe(`create database "${name}"`);
const url = new URL(baseUrl);
url.pathname = `/${name}`;
const ours = (await createDatabase({ url: url.href, max: 10 })) as unknown as Db;
// The same pool: raw drizzle on the postgres.js client @plinth/db opened (drizzle keeps it as $client).
const raw = ours.$client;
const subjects: Record<string, Db> = {
  'raw drizzle (postgres.js)': drizzle({ client: raw }),
  '@plinth/db': ours,
};
const results: Result[] = [];
try {
  await raw.unsafe(
    'create table bench_users (id serial primary key, name text not null, age integer not null)',
  );
  await raw.unsafe("insert into bench_users (name, age) select 'seed', g from generate_series(1, 1000) g");
  const names = Object.keys(subjects);
  for (const [caseName, operation] of Object.entries(operations)) {
    const samples = new Map<string, Sample[]>(names.map((subject) => [subject, []]));
    // Warm-up, discarded: every connection of the pool opened, the JIT settled on both paths.
    for (let warm = 0; warm < warmups; warm++)
      for (const subject of names) await round(subjects[subject]!, operation);
    for (let index = 0; index < rounds; index++) {
      // Interleaved, the order alternating, so drift on a shared machine hits every subject alike.
      const order = names.map((_, offset) => names[(offset + index) % names.length]!);
      for (const subject of order) samples.get(subject)!.push(await round(subjects[subject]!, operation));
    }
    const of = (subject: string, field: keyof Sample) => samples.get(subject)!.map((sample) => sample[field]);
    for (const subject of names) {
      results.push(
        { case: caseName, subject, median: Math.round(median(of(subject, 'opsPerSecond'))), unit: 'ops/s' },
        {
          case: caseName,
          subject: `${subject}, node CPU`,
          median: Math.round(median(of(subject, 'cpuPerOp')) * 10) / 10,
          unit: 'µs/op',
        },
      );
    }
    const [theirs, mine] = ['raw drizzle (postgres.js)', '@plinth/db'];
    results.push(
      {
        case: caseName,
        subject: '@plinth/db ÷ raw drizzle, ops/s (per-round pairs)',
        ...pairedRatio(of(mine, 'opsPerSecond'), of(theirs, 'opsPerSecond')),
        unit: '×',
      },
      {
        case: caseName,
        subject: '@plinth/db ÷ raw drizzle, node CPU per op (per-round pairs)',
        ...pairedRatio(of(mine, 'cpuPerOp'), of(theirs, 'cpuPerOp')),
        unit: '×',
      },
    );
  }
  {
    // A second @plinth/db (it never connects) whose drizzle session is pointed at the stand-in: the
    // object createDatabase() returns, hooks and all, against raw drizzle on the same stand-in.
    const hooked = (await createDatabase({ url: url.href, max: 1 })) as unknown as Db;
    (hooked as unknown as { session: { client: unknown } }).session.client = instantClient;
    const pair: Record<string, Db> = {
      'raw drizzle (postgres.js)': drizzle({ client: instantClient as never }),
      '@plinth/db': hooked,
    };
    const samples = new Map<string, number[]>(names.map((subject) => [subject, []]));
    for (let warm = 0; warm < warmups; warm++)
      for (const subject of names) await cpuPerSelect(pair[subject]!);
    for (let index = 0; index < rounds; index++) {
      const order = names.map((_, offset) => names[(offset + index) % names.length]!);
      for (const subject of order) samples.get(subject)!.push(await cpuPerSelect(pair[subject]!));
    }
    await (hooked as unknown as { close(): Promise<void> }).close();
    const cpuCase = 'select by primary key, no server (Node CPU only)';
    for (const subject of names) {
      results.push({
        case: cpuCase,
        subject,
        median: Math.round(median(samples.get(subject)!) * 100) / 100,
        unit: 'µs/op',
      });
    }
    results.push({
      case: cpuCase,
      subject: '@plinth/db ÷ raw drizzle, CPU per op (per-round pairs)',
      ...pairedRatio(samples.get('@plinth/db')!, samples.get('raw drizzle (postgres.js)')!),
      unit: '×',
    });
  }
  const bursts = new Map<string, Array<{ errors: number; p50: number; p99: number }>>(
    names.map((subject) => [subject, []]),
  );
  for (let index = 0; index < rounds; index++) {
    // Interleaved like the rounds above: the pool's warm-up and the machine's drift hit both alike.
    for (const subject of index % 2 === 0 ? names : [...names].reverse()) {
      bursts.get(subject)!.push(await burst(subjects[subject]!));
    }
  }
  const burstCase = '500 concurrent queries, max 10 connections';
  for (const subject of names) {
    const measured = bursts.get(subject)!;
    results.push(
      {
        case: burstCase,
        subject: `${subject} errors`,
        median: Math.max(...measured.map((b) => b.errors)),
        unit: 'count',
      },
      {
        case: burstCase,
        subject: `${subject} p50`,
        median: Math.round(median(measured.map((b) => b.p50)) * 10) / 10,
        unit: 'ms',
      },
      {
        case: burstCase,
        subject: `${subject} p99`,
        median: Math.round(median(measured.map((b) => b.p99)) * 10) / 10,
        unit: 'ms',
      },
    );
  }
} finally {
  await (ours as unknown as { close(): Promise<void> }).close();
  await admin.unsafe(`drop database if exists "${name}" with (force)`);
  await admin.end({ timeout: 1 });
}

writeFileSync(new URL('./results.json', import.meta.url), `${JSON.stringify(results, null, 2)}\n`);
const table = [
  `Node ${process.version}, ${cpus().length} cores shared with other work, PostgreSQL on 127.0.0.1; both subjects on one postgres.js pool (max 10), ${callers} concurrent callers; ${warmups} warm-up rounds, then ${rounds} interleaved rounds of ${roundMs} ms each. Ratios are the median of per-round pairs (p25–p75 beside them); node CPU is this process's user + system time per operation; "no server" answers every query from an instant stand-in for postgres.js (${cpuBatch} selects a round, one caller), leaving only the per-query work in Node. The burst: 500 queries at once, ${rounds} times; errors are the worst round, latencies medians.`,
  '',
  ...markdownTable(
    ['case', 'subject', 'median', 'unit', 'p25–p75'],
    [false, false, true, false, false],
    results.map((result) => [
      result.case,
      result.subject,
      String(result.median),
      result.unit,
      result.range ? `${result.range[0]}–${result.range[1]}` : '',
    ]),
  ),
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
if (!process.argv.includes('--no-readme') && start !== -1 && end > start) {
  writeFileSync(readmeUrl, `${readme.slice(0, start)}<!-- bench:start -->\n${table}\n${readme.slice(end)}`);
}
console.log(table);
