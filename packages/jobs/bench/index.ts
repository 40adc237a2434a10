// Throughput and latency of @plinth/jobs against BullMQ (same Redis), pg-boss and graphile-worker (same
// PostgreSQL): enqueue N no-op jobs, process them with concurrency 50 in this one process, then the
// enqueue-to-start latency at a steady 100 jobs/s. Medians over BENCH_ROUNDS rounds. Writes
// bench/results.json and the README table. BENCH_JOBS (default 20000), BENCH_LATENCY_SECONDS (5),
// BENCH_ONLY (comma-separated subjects) make smoke runs short.
import { readFileSync, writeFileSync } from 'node:fs';
import { Redis } from 'ioredis';
import postgres from 'postgres';
import { type Subject, subjects } from './subjects.js';

const jobs = Number(process.env.BENCH_JOBS ?? 20_000);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const latencySeconds = Number(process.env.BENCH_LATENCY_SECONDS ?? 5);
const only = process.env.BENCH_ONLY?.split(',');
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

interface Result {
  case: string;
  subject: string;
  median: number;
  unit: string;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};
const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))]!;
};

async function throughput(subject: Subject): Promise<{ enqueue: number; process: number }> {
  const run = await subject.open();
  try {
    const started = performance.now();
    await run.enqueue(jobs);
    const enqueued = performance.now();
    await run.process(jobs, 50);
    const processed = performance.now();
    return { enqueue: (jobs / (enqueued - started)) * 1000, process: (jobs / (processed - enqueued)) * 1000 };
  } finally {
    await run.close();
  }
}

async function latency(subject: Subject): Promise<{ p50: number; p99: number }> {
  const run = await subject.open();
  try {
    const samples = await run.latency(100, latencySeconds);
    return { p50: percentile(samples, 50), p99: percentile(samples, 99) };
  } finally {
    await run.close();
  }
}

async function main() {
  const redis = new Redis(redisUrl);
  const sql = postgres(databaseUrl, { max: 10, onnotice: () => undefined });
  const chosen = subjects({ redis, redisUrl, sql, databaseUrl }).filter(
    (subject) => !only || only.includes(subject.name),
  );
  // Interleaved: each round runs every subject once, in alternating order, so a machine loaded by
  // other work weighs on every contender alike; ratios are read within one run.
  const samples = new Map(
    chosen.map((subject) => [
      subject,
      { enqueue: [] as number[], process: [] as number[], p50: [] as number[], p99: [] as number[] },
    ]),
  );
  const inOrder = (round: number) => (round % 2 === 0 ? chosen : [...chosen].reverse());
  for (let round = 0; round < rounds; round++) {
    for (const subject of inOrder(round)) {
      const measured = await throughput(subject);
      samples.get(subject)!.enqueue.push(measured.enqueue);
      samples.get(subject)!.process.push(measured.process);
      console.log(
        `${subject.name} round ${round + 1}: enqueue ${measured.enqueue.toFixed(0)}/s, process ${measured.process.toFixed(0)}/s`,
      );
    }
  }
  for (let round = 0; round < rounds; round++) {
    for (const subject of inOrder(round)) {
      const measured = await latency(subject);
      samples.get(subject)!.p50.push(measured.p50);
      samples.get(subject)!.p99.push(measured.p99);
      console.log(
        `${subject.name} latency round ${round + 1}: p50 ${measured.p50.toFixed(2)} ms, p99 ${measured.p99.toFixed(2)} ms`,
      );
    }
  }
  const results: Result[] = [];
  for (const subject of chosen) {
    const { enqueue, process, p50, p99 } = samples.get(subject)!;
    results.push(
      {
        case: `enqueue ${jobs} no-op jobs`,
        subject: subject.label,
        median: Math.round(median(enqueue)),
        unit: 'jobs/s',
      },
      {
        case: `process ${jobs} no-op jobs, concurrency 50`,
        subject: subject.label,
        median: Math.round(median(process)),
        unit: 'jobs/s',
      },
      {
        case: 'enqueue-to-start p50 at 100 jobs/s',
        subject: subject.label,
        median: Number(median(p50).toFixed(2)),
        unit: 'ms',
      },
      {
        case: 'enqueue-to-start p99 at 100 jobs/s',
        subject: subject.label,
        median: Number(median(p99).toFixed(2)),
        unit: 'ms',
      },
    );
  }
  await redis.quit();
  await sql.end();
  // A BENCH_ONLY run replaces the rows of its subjects and keeps the others.
  const labels = new Set(chosen.map((subject) => subject.label));
  const resultsUrl = new URL('./results.json', import.meta.url);
  const kept = only
    ? (JSON.parse(readFileSync(resultsUrl, 'utf8')) as Result[]).filter(
        (result) => !labels.has(result.subject),
      )
    : [];
  const order = chosen.length > 0 ? subjects({} as never).map((subject) => subject.label) : [];
  const merged = [...kept, ...results].sort((a, b) => order.indexOf(a.subject) - order.indexOf(b.subject));
  writeFileSync(resultsUrl, `${JSON.stringify(merged, null, 2)}\n`);
  writeReadme(merged);
}

function writeReadme(results: Result[]) {
  const header = `Node ${process.version}, 2 cores shared with other work, Redis and PostgreSQL on 127.0.0.1; ${jobs} jobs, ${rounds} rounds, medians; latency: ${latencySeconds} s at 100 jobs/s. Workers run in the bench process.`;
  const rows = [
    ['case', 'subject', 'median'],
    ...results.map((result) => [result.case, result.subject, `${result.median} ${result.unit}`]),
  ];
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  const line = (row: string[]) =>
    `| ${row.map((cell, column) => (column === 2 ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!))).join(' | ')} |`;
  const separator = `| ${widths.map((width, column) => (column === 2 ? `${'-'.repeat(width - 1)}:` : '-'.repeat(width))).join(' | ')} |`;
  const table = [line(rows[0]!), separator, ...rows.slice(1).map(line)].join('\n');
  const readmeUrl = new URL('../README.md', import.meta.url);
  const readme = readFileSync(readmeUrl, 'utf8');
  const start = readme.indexOf('<!-- bench:start -->');
  const end = readme.indexOf('<!-- bench:end -->');
  writeFileSync(
    readmeUrl,
    `${readme.slice(0, start)}<!-- bench:start -->\n${header}\n\n${table}\n${readme.slice(end)}`,
  );
}

await main();
