// Health endpoint throughput: GET /readyz over keep-alive connections on 127.0.0.1, for
// @plinth/deploy with a cached check and with an uncached (single-flight) one, @godaddy/terminus,
// and a hand-written handler. Interleaved rounds, medians. Writes bench/results.json and the README table.
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { Agent } from 'node:http';
import { cpus } from 'node:os';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { httpGet } from '../test/support/http-get.js';

const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
const roundMs = Number(process.env.BENCH_ROUND_MS ?? 1500);
const concurrency = 10;
const checkDurations = [1, 20];

interface Result {
  case: string;
  subject: string;
  median: number;
  unit: string;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

async function startServers(checkMs: number) {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(new URL('./servers.ts', import.meta.url))],
    {
      env: { ...process.env, CHECK_MS: String(checkMs), NODE_ENV: 'production' },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const line = await createInterface({ input: child.stdout })[Symbol.asyncIterator]().next();
  return { child, ports: JSON.parse(String(line.value)) as Record<string, number> };
}

/** Requests per second and check runs per 1000 requests during one bounded round. */
async function round(port: number): Promise<{ rps: number; runsPer1000: number }> {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const before = Number((await httpGet(port, '/__calls')).body);
  let done = 0;
  const deadline = performance.now() + roundMs;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        const answer = await httpGet(port, '/readyz', agent);
        if (answer.status !== 200) throw new Error(`GET /readyz answered ${answer.status}`);
        done++;
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  agent.destroy();
  const runs = Number((await httpGet(port, '/__calls')).body) - before;
  return { rps: done / elapsed, runsPer1000: (runs / done) * 1000 };
}

const results: Result[] = [];
for (const checkMs of checkDurations) {
  const { child, ports } = await startServers(checkMs);
  try {
    const subjects = Object.keys(ports);
    const rps = new Map<string, number[]>(subjects.map((name) => [name, []]));
    const runs = new Map<string, number[]>(subjects.map((name) => [name, []]));
    for (const name of subjects) await round(ports[name]!); // warm-up, discarded
    for (let index = 0; index < rounds; index++) {
      // Interleaved, in a rotating order, so drift on a shared machine hits every subject alike.
      const order = subjects.map((_, offset) => subjects[(offset + index) % subjects.length]!);
      for (const name of order) {
        const measured = await round(ports[name]!);
        rps.get(name)!.push(measured.rps);
        runs.get(name)!.push(measured.runsPer1000);
      }
    }
    for (const name of subjects) {
      results.push({
        case: `GET /readyz, ${checkMs} ms check`,
        subject: name,
        median: Math.round(median(rps.get(name)!)),
        unit: 'req/s',
      });
    }
    for (const name of subjects) {
      results.push({
        case: `check runs per 1000 probes, ${checkMs} ms check`,
        subject: name,
        median: Math.round(median(runs.get(name)!) * 10) / 10,
        unit: 'runs',
      });
    }
  } finally {
    child.kill();
  }
}

writeFileSync(new URL('./results.json', import.meta.url), `${JSON.stringify(results, null, 2)}\n`);

const baseline = (result: Result) =>
  results.find((other) => other.case === result.case && other.subject === '@godaddy/terminus');
const rows = results.map((result) => {
  const base = baseline(result);
  const ratio = result.unit === 'req/s' && base ? `${(result.median / base.median).toFixed(2)}×` : '';
  return [result.case, result.subject, `${result.median} ${result.unit}`, ratio];
});
const table = [
  `Node ${process.version}, ${cpus().length} cores shared with other work, 127.0.0.1, ${concurrency} keep-alive connections from a node:http client in another process; ${rounds} interleaved rounds of ${roundMs} ms, medians. The check simulates a database round trip.`,
  '',
  ...markdownTable(['case', 'subject', 'median', 'vs terminus'], [false, false, true, true], rows),
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
