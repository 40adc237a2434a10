// `pnpm --filter @plinth/http bench`: router lookups and HTTP throughput in one run; writes
// bench/results.json and the README table between the bench markers.
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { benchHttp } from './http.js';
import { benchObjectCosts } from './request-cost.js';
import { benchRequestRead } from './request-read.js';
import { benchRouters } from './router.js';

type Row = { case: string; subject: string; median: number; unit: string };

const loadBefore = loadavg()[0] ?? 0;
const routerRows = benchRouters(Number(process.env.BENCH_ROUTER_ROUNDS ?? 7), 250);
const http = await benchHttp(Number(process.env.BENCH_ROUNDS ?? 3), Number(process.env.BENCH_SECONDS ?? 5));
const requestRead = await benchRequestRead(
  Number(process.env.BENCH_ROUNDS ?? 3),
  Number(process.env.BENCH_SECONDS ?? 5),
);
const rows: Row[] = [...routerRows, ...benchObjectCosts(), ...http.rows, ...requestRead];
const loadAfter = loadavg()[0] ?? 0;

const resultsFile = fileURLToPath(new URL('./results.json', import.meta.url));
writeFileSync(resultsFile, `${JSON.stringify(rows, null, 2)}\n`);

function ratio(row: Row, reference: string): string {
  const base = rows.find((other) => other.case === row.case && other.subject === reference);
  if (base === undefined || base.median === 0) return '';
  // Higher is better for throughput, lower is better for latency: show "how many times as good".
  const lowerIsBetter = row.unit === 'ms' || row.unit === 'µs' || row.unit === 'ns';
  const value = lowerIsBetter ? base.median / row.median : row.median / base.median;
  return `${value.toFixed(2)}×`;
}

// The reference each case is compared with: find-my-way for the router, Fastify for HTTP, undici's own
// objects for the per-request object costs.
function referenceOf(row: Row): string {
  if (row.case.startsWith('router')) return 'find-my-way 9';
  // ctx.request cases: the same app not reading it (GET), ctx.body.json() (POST); the first subject.
  if (row.case.startsWith('HTTP ctx.request'))
    return rows.find((other) => other.case === row.case)?.subject ?? '';
  if (row.case.startsWith('HTTP')) return 'fastify 5';
  return rows.find((other) => other.case === row.case && other.subject.startsWith('undici'))?.subject ?? '';
}

const format = (row: Row) =>
  row.unit === 'ms' || row.unit === 'µs' || row.unit === 'ns'
    ? `${row.median} ${row.unit}`
    : `${Math.round(row.median).toLocaleString('en-US')} ${row.unit}`;

// Rows padded the way biome formats markdown tables, so `biome check` stays green after a run.
function table(header: string[], align: Array<'left' | 'right'>, body: string[][]): string[] {
  const widths = header.map((cell, column) =>
    Math.max(
      3,
      [...[cell], ...body.map((row) => row[column] ?? '')].reduce(
        (max, text) => Math.max(max, [...text].length),
        0,
      ),
    ),
  );
  const pad = (text: string, column: number) => {
    const fill = ' '.repeat((widths[column] as number) - [...text].length);
    return align[column] === 'right' ? fill + text : text + fill;
  };
  const line = (cells: string[]) => `| ${cells.map(pad).join(' | ')} |`;
  const rule = `| ${widths.map((width, column) => (align[column] === 'right' ? `${'-'.repeat(width - 1)}:` : '-'.repeat(width))).join(' | ')} |`;
  return [line(header), rule, ...body.map(line)];
}

const lines = [
  `Measured on ${cpus().length} cores (${cpus()[0]?.model.trim() ?? 'unknown CPU'}), Node ${process.version}, ${new Date().toISOString().slice(0, 10)}; 1-minute load average ${loadBefore.toFixed(1)} before and ${loadAfter.toFixed(1)} after the run.`,
  `Router: 3 subjects × 4 lookups on a GitHub-like table, ${process.env.BENCH_ROUTER_ROUNDS ?? 7} interleaved rounds, median.`,
  `HTTP: autocannon -c 50, ${process.env.BENCH_ROUNDS ?? 3} interleaved rounds × ${process.env.BENCH_SECONDS ?? 5} s per contender and case, median; server and load ${http.pinned ? 'pinned with taskset to cores 0 and 1' : 'not pinned (no taskset)'}. The machine is shared with other work, so absolute numbers are noisy; ratios are what to read, and server CPU per request (measured with process.cpuUsage around each run) is the steadiest of them. For p99 and CPU the ratio is reference ÷ ours, so above 1 is better everywhere.`,
  '',
  ...table(
    ['case', 'subject', 'median', 'vs reference', 'vs node:http'],
    ['left', 'left', 'right', 'right', 'right'],
    rows.map((row) => {
      const isHttp = row.case.startsWith('HTTP');
      return [
        row.case,
        row.subject,
        format(row),
        ratio(row, referenceOf(row)),
        isHttp ? ratio(row, 'node:http') : '',
      ];
    }),
  ),
];

const readmeFile = fileURLToPath(new URL('../README.md', import.meta.url));
const readme = readFileSync(readmeFile, 'utf8');
const start = '<!-- bench:start -->';
const end = '<!-- bench:end -->';
const before = readme.slice(0, readme.indexOf(start) + start.length);
const after = readme.slice(readme.indexOf(end));
if (!readme.includes(start) || !readme.includes(end)) throw new Error('README.md lacks the bench markers');
writeFileSync(readmeFile, `${before}\n${lines.join('\n')}\n${after}`);
console.log(lines.join('\n'));
