// `pnpm --filter @plinth/validation bench`: (a) serializing a DTO, the in-process validation cost, and
// (b) a validated POST end to end; writes bench/results.json and the README table between the markers.
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { benchHttp } from './http.js';
import { benchSerialize } from './serialize.js';
import { benchValidate } from './validate.js';

type Row = { case: string; subject: string; median: number; unit: string };

const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const loadBefore = loadavg()[0] ?? 0;
const inProcess = [...benchSerialize(rounds * 3), ...benchValidate(rounds * 3)];
const http = await benchHttp(rounds, seconds);
const rows: Row[] = [...inProcess, ...http.rows];
const loadAfter = loadavg()[0] ?? 0;

writeFileSync(
  fileURLToPath(new URL('./results.json', import.meta.url)),
  `${JSON.stringify(rows, null, 2)}\n`,
);

// The reference each case is measured against: fast-json-stringify, ajv, Fastify with its JSON schema.
function referenceOf(row: Row): string {
  if (row.case.startsWith('serialize')) return 'fast-json-stringify 7';
  if (row.case.startsWith('validate')) return 'ajv 8 (Fastify settings)';
  return 'fastify 5 (ajv JSON schema)';
}

function ratio(row: Row): string {
  const base = rows.find((other) => other.case === row.case && other.subject === referenceOf(row));
  if (base === undefined || base.median === 0 || row.median === 0) return '';
  // Above 1 is better everywhere: reference ÷ ours for times, ours ÷ reference for throughput.
  const lowerIsBetter = row.unit === 'ms' || row.unit === 'µs' || row.unit === 'ns';
  return `${(lowerIsBetter ? base.median / row.median : row.median / base.median).toFixed(2)}×`;
}

const format = (row: Row) =>
  row.unit === 'req/s'
    ? `${Math.round(row.median).toLocaleString('en-US')} req/s`
    : `${row.median.toLocaleString('en-US')} ${row.unit}`;

// Rows padded the way biome formats markdown tables, so `biome check` stays green after a run.
function table(header: string[], align: Array<'left' | 'right'>, body: string[][]): string[] {
  const widths = header.map((cell, column) =>
    Math.max(3, ...[cell, ...body.map((row) => row[column] ?? '')].map((text) => [...text].length)),
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
  `In-process cases: ${rounds * 3} interleaved rounds, CPU time per call (process.cpuUsage), median. HTTP: autocannon -c 50, ${rounds} interleaved rounds × ${seconds} s per contender, POST of the same ${'2.3 kB'} order, median; server and load ${http.pinned ? 'pinned with taskset to cores 0 and 1' : 'not pinned (no taskset)'}. The machine is shared, so read the ratios (above 1 is better everywhere) and the server CPU per request, the steadiest HTTP figure.`,
  '',
  ...table(
    ['case', 'subject', 'median', 'vs reference'],
    ['left', 'left', 'right', 'right'],
    rows.map((row) => [row.case, row.subject, format(row), ratio(row)]),
  ),
];

const readmeFile = fileURLToPath(new URL('../README.md', import.meta.url));
const readme = readFileSync(readmeFile, 'utf8');
const start = '<!-- bench:start -->';
const end = '<!-- bench:end -->';
if (!readme.includes(start) || !readme.includes(end)) throw new Error('README.md lacks the bench markers');
const before = readme.slice(0, readme.indexOf(start) + start.length);
const after = readme.slice(readme.indexOf(end));
writeFileSync(readmeFile, `${before}\n${lines.join('\n')}\n${after}`);
console.log(lines.join('\n'));
