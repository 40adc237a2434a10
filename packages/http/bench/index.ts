// `pnpm --filter @plinth/http bench`: router lookups and HTTP throughput in one run; writes
// bench/results.json and the README table between the bench markers.
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { benchHttp } from './http.js';
import { benchRouters } from './router.js';

type Row = { case: string; subject: string; median: number; unit: string };

const routerRows = benchRouters(Number(process.env.BENCH_ROUTER_ROUNDS ?? 7), 250);
const http = await benchHttp(Number(process.env.BENCH_ROUNDS ?? 3), Number(process.env.BENCH_SECONDS ?? 5));
const rows: Row[] = [...routerRows, ...http.rows];

const resultsFile = fileURLToPath(new URL('./results.json', import.meta.url));
writeFileSync(resultsFile, `${JSON.stringify(rows, null, 2)}\n`);

function ratio(row: Row, reference: string): string {
  const base = rows.find((other) => other.case === row.case && other.subject === reference);
  if (base === undefined || base.median === 0) return '';
  // Higher is better for throughput, lower is better for latency: show "how many times as good".
  const value = row.unit === 'ms' ? base.median / row.median : row.median / base.median;
  return `${value.toFixed(2)}×`;
}

const format = (row: Row) =>
  row.unit === 'ms' ? `${row.median} ms` : `${Math.round(row.median).toLocaleString('en-US')} ${row.unit}`;

const lines = [
  `Measured on ${cpus().length} cores (${cpus()[0]?.model.trim() ?? 'unknown CPU'}), Node ${process.version}, ${new Date().toISOString().slice(0, 10)}.`,
  `Router: ${routerRows.length / 4} subjects × 4 lookups on a GitHub-like table, 7 interleaved rounds, median.`,
  `HTTP: autocannon -c 50, ${process.env.BENCH_ROUNDS ?? 3} interleaved rounds × ${process.env.BENCH_SECONDS ?? 5} s per contender and case, median; server and load ${http.pinned ? 'pinned with taskset to cores 0 and 1' : 'not pinned (no taskset)'}. The machine is shared, so absolute numbers are noisy; ratios within a round are what to read.`,
  '',
  '| case | subject | median | vs find-my-way / Fastify | vs node:http |',
  '|---|---|---:|---:|---:|',
];
for (const row of rows) {
  const isRouter = row.case.startsWith('router');
  lines.push(
    `| ${row.case} | ${row.subject} | ${format(row)} | ${ratio(row, isRouter ? 'find-my-way 9' : 'fastify 5')} | ${isRouter ? '' : ratio(row, 'node:http')} |`,
  );
}

const readmeFile = fileURLToPath(new URL('../README.md', import.meta.url));
const readme = readFileSync(readmeFile, 'utf8');
const start = '<!-- bench:start -->';
const end = '<!-- bench:end -->';
const before = readme.slice(0, readme.indexOf(start) + start.length);
const after = readme.slice(readme.indexOf(end));
if (!readme.includes(start) || !readme.includes(end)) throw new Error('README.md lacks the bench markers');
writeFileSync(readmeFile, `${before}\n${lines.join('\n')}\n${after}`);
console.log(lines.join('\n'));
