// @plinth/db against raw drizzle on postgres.js, same pool (max 10): select by primary key and insert
// one row, 10 callers at once, interleaved rounds, medians; then 500 concurrent queries through 10
// connections (errors, p50, p99). Needs PostgreSQL at DATABASE_URL; writes bench/results.json and
// the README table.
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { eq } from 'drizzle-orm';
import { integer, pgTable, serial, text } from 'drizzle-orm/pg-core';
import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { createDatabase } from '../src/index.js';

const rounds = Number(process.env.BENCH_ROUNDS ?? 7);
const roundMs = Number(process.env.BENCH_ROUND_MS ?? 1500);
const callers = 10;
const baseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

interface Result {
  case: string;
  subject: string;
  median: number;
  unit: string;
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

/** Operations per second of `operation` with `callers` concurrent callers during one round. */
async function round(db: Db, operation: (db: Db) => Promise<unknown>): Promise<number> {
  let done = 0;
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
  return done / ((performance.now() - started) / 1000);
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
const raw = postgres(url.href, { max: 10 });
const subjects: Record<string, Db> = {
  'raw drizzle (postgres.js)': drizzle({ client: raw }),
  '@plinth/db': (await createDatabase({ url: url.href, max: 10 })) as unknown as Db,
};
const results: Result[] = [];
try {
  await raw.unsafe(
    'create table bench_users (id serial primary key, name text not null, age integer not null)',
  );
  await raw.unsafe("insert into bench_users (name, age) select 'seed', g from generate_series(1, 1000) g");
  const names = Object.keys(subjects);
  for (const [caseName, operation] of Object.entries(operations)) {
    const samples = new Map<string, number[]>(names.map((subject) => [subject, []]));
    // Warm-up, discarded: every connection of both pools opened and its statements prepared.
    for (let warm = 0; warm < 2; warm++)
      for (const subject of names) await round(subjects[subject]!, operation);
    for (let index = 0; index < rounds; index++) {
      // Interleaved, in a rotating order, so drift on a shared machine hits every subject alike.
      const order = names.map((_, offset) => names[(offset + index) % names.length]!);
      for (const subject of order) samples.get(subject)!.push(await round(subjects[subject]!, operation));
    }
    for (const subject of names) {
      results.push({
        case: caseName,
        subject,
        median: Math.round(median(samples.get(subject)!)),
        unit: 'ops/s',
      });
    }
    const ours = median(samples.get('@plinth/db')!);
    const theirs = median(samples.get('raw drizzle (postgres.js)')!);
    results.push({
      case: caseName,
      subject: '@plinth/db ÷ raw drizzle',
      median: Math.round((ours / theirs) * 100) / 100,
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
  await (subjects['@plinth/db'] as unknown as { close(): Promise<void> }).close();
  await raw.end({ timeout: 1 });
  await admin.unsafe(`drop database if exists "${name}" with (force)`);
  await admin.end({ timeout: 1 });
}

writeFileSync(new URL('./results.json', import.meta.url), `${JSON.stringify(results, null, 2)}\n`);
const table = [
  `Node ${process.version}, ${cpus().length} cores shared with other work, PostgreSQL on 127.0.0.1, pool max 10 for both subjects, ${callers} concurrent callers; ${rounds} interleaved rounds of ${roundMs} ms, medians. The burst: 500 queries at once, ${rounds} times; errors are the worst round, latencies medians.`,
  '',
  ...markdownTable(
    ['case', 'subject', 'median', 'unit'],
    [false, false, true, false],
    results.map((result) => [result.case, result.subject, String(result.median), result.unit]),
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
if (start !== -1 && end > start) {
  writeFileSync(readmeUrl, `${readme.slice(0, start)}<!-- bench:start -->\n${table}\n${readme.slice(end)}`);
}
console.table(results);
