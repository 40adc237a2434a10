// `pnpm --filter @plinth/validation bench`: (a) serializing a DTO, the in-process validation cost, and
// (b) a validated POST end to end; writes bench/results.json and the README table between the markers.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { CpuResult } from './cpu.js';
import { benchHttp, pinned } from './http.js';
import { benchSerialize } from './serialize.js';
import { benchValidate } from './validate.js';

type Row = { case: string; subject: string; median: number; unit: string };

const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const loadBefore = loadavg()[0] ?? 0;
const inProcess = [...benchSerialize(rounds * 3), ...benchValidate(rounds * 3)];
const http = await benchHttp(rounds, seconds);
const sideBySide = benchSideBySide(Number(process.env.BENCH_CPU_ROUNDS ?? 40));
const rows: Row[] = [...inProcess, ...http.rows, ...sideBySide.rows];
// Paired ratios to Fastify, by row, where the rounds allow them (ratio() falls back to the medians').
const pairedRatios = new Map([...http.ratios, ...sideBySide.ratios]);
const loadAfter = loadavg()[0] ?? 0;

// bench/cpu.ts: every server at once, bursts of 3,000 requests over 50 connections to each in turn, so
// a machine that slows down for a while slows them alike; rows with their ratio to Fastify paired by round.
function benchSideBySide(cpuRounds: number): { rows: Row[]; ratios: Map<Row, number> } {
  const [command, args] = pinned(1, [
    '--import',
    'tsx',
    'bench/cpu.ts',
    String(cpuRounds),
    '3000',
    '41030',
    '50',
  ]);
  const output = execFileSync(command, args, {
    cwd: fileURLToPath(new URL('..', import.meta.url)),
    env: { ...process.env, BENCH_JSON: '1' },
    encoding: 'utf8',
    timeout: 30 * 60_000,
  });
  const line = output.split('\n').find((text) => text.startsWith('results '));
  if (line === undefined) throw new Error(`bench/cpu.ts printed no results:\n${output}`);
  const rows: Row[] = [];
  const ratios = new Map<Row, number>();
  for (const result of JSON.parse(line.slice('results '.length)) as CpuResult[]) {
    const row = {
      case: 'HTTP POST /orders, server CPU per request, servers side by side',
      subject: result.name,
      median: Math.round(result.cpu * 10) / 10,
      unit: 'µs',
    };
    rows.push(row);
    if (result.ratio !== undefined) ratios.set(row, result.ratio.median);
  }
  return { rows, ratios };
}

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
  const paired = pairedRatios.get(row);
  if (paired !== undefined) return `${paired.toFixed(2)}×`;
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
  `In-process cases: ${rounds * 3} interleaved rounds, CPU time per call (process.cpuUsage), median. HTTP: autocannon -c 50, ${rounds} interleaved rounds × ${seconds} s per contender, POST of the same ${'2.3 kB'} order, median; the HTTP ratios are paired, the median of each round's ratio to Fastify (a round runs every contender once, back to back); server and load ${http.pinned ? 'pinned with taskset to cores 0 and 1' : 'not pinned (no taskset)'}. "Servers side by side" (bench/cpu.ts): every server running at once, ${process.env.BENCH_CPU_ROUNDS ?? 40} rounds of a 3,000-request burst over 50 connections to each in turn, the server's own CPU per request; its ratio is the median of each round's ratio to Fastify. The machine is shared, so read the ratios (above 1 is better everywhere); the side-by-side row is the steadiest: sequential autocannon rounds here land in slow and fast minutes unevenly.`,
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
