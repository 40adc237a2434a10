// `pnpm --filter @plinth/reference bench`: the packages composed the way this app composes them,
// against @plinth/http alone and Fastify with its logger. Each server runs in its own process pinned
// to core 0 and autocannon in another pinned to core 1 (where taskset exists); rounds interleave the
// contenders and the median of each is kept. Writes bench/results.json and the README table.
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { pin, pinned } from './pinning.js';

type Row = { case: string; subject: string; median: number; unit: string };

const contenders = ['@plinth/http alone', 'composed stack', 'apps/reference', 'fastify 5 + logger'];
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const port = 43_217;

const require = createRequire(import.meta.url);
const autocannonBin = require.resolve('autocannon/autocannon.js');
const tsx = require.resolve('tsx');
const serversFile = fileURLToPath(new URL('./servers.ts', import.meta.url));

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** Starts one contender's server process; resolves once it printed "ready". */
async function startServer(contender: string) {
  const [command, args] = pinned(0, ['--import', tsx, serversFile, contender, String(port)]);
  const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'inherit'] });
  let output = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    output += chunk;
  });
  const waitFor = async (pattern: RegExp, what: string, timeout = 20_000): Promise<RegExpMatchArray> => {
    const deadline = Date.now() + timeout;
    for (;;) {
      const match = output.match(pattern);
      if (match !== null) {
        output = output.slice((match.index ?? 0) + match[0].length);
        return match;
      }
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`${contender}: no ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  };
  // apps/reference starts PGlite first: ~8 s on a quiet machine, up to 25 s on a loaded one.
  await waitFor(/ready\n/, 'ready line within 60 s', 60_000);
  return {
    /** Microseconds of CPU (user + system) the server has used so far. */
    async cpu(): Promise<number> {
      child.stdin.write('cpu\n');
      return Number((await waitFor(/cpu (\d+)\n/, 'cpu answer'))[1]);
    },
    async stop() {
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 3000);
      if (child.exitCode === null) await once(child, 'exit');
      clearTimeout(killer);
    },
  };
}

/** autocannon -c 50 for `duration` seconds; every answer must be a 2xx. */
async function load(duration: number) {
  const url = `http://127.0.0.1:${port}/`;
  const [command, args] = pinned(1, [autocannonBin, '-c', '50', '-d', String(duration), '-j', url]);
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'ignore'] });
  let output = '';
  child.stdout.on('data', (chunk) => {
    output += String(chunk);
  });
  const killer = setTimeout(() => child.kill('SIGKILL'), (duration + 30) * 1000);
  await once(child, 'exit');
  clearTimeout(killer);
  const result = JSON.parse(output) as {
    requests: { average: number; total: number };
    latency: { p99: number };
    errors: number;
    non2xx: number;
  };
  if (result.errors + result.non2xx > 0)
    throw new Error(`${result.errors + result.non2xx} errors or non-2xx`);
  return { requests: result.requests.average, total: result.requests.total, p99: result.latency.p99 };
}

const samples = new Map<string, { requests: number[]; p99: number[]; cpu: number[] }>();
const loadBefore = loadavg()[0] ?? 0;
for (let round = 0; round < rounds; round++) {
  const order = contenders.map((_, index) => contenders[(index + round) % contenders.length] as string);
  for (const contender of order) {
    const server = await startServer(contender);
    try {
      await load(2); // warm-up: JIT, pools
      const cpuBefore = await server.cpu();
      const result = await load(seconds);
      const cpuPerRequest = ((await server.cpu()) - cpuBefore) / Math.max(1, result.total);
      const entry = samples.get(contender) ?? { requests: [], p99: [], cpu: [] };
      entry.requests.push(result.requests);
      entry.p99.push(result.p99);
      entry.cpu.push(cpuPerRequest);
      samples.set(contender, entry);
      console.error(
        `round ${round + 1} ${contender}: ${Math.round(result.requests)} req/s, p99 ${result.p99} ms`,
      );
    } finally {
      await server.stop();
    }
  }
}
const loadAfter = loadavg()[0] ?? 0;

const rows: Row[] = [];
for (const [subject, { requests, p99, cpu }] of samples) {
  rows.push({ case: 'GET / req/s', subject, median: Math.round(median(requests)), unit: 'req/s' });
  rows.push({ case: 'GET / p99', subject, median: median(p99), unit: 'ms' });
  rows.push({
    case: 'GET / server CPU per request',
    subject,
    median: Math.round(median(cpu) * 10) / 10,
    unit: 'µs',
  });
}
writeFileSync(
  fileURLToPath(new URL('./results.json', import.meta.url)),
  `${JSON.stringify(rows, null, 2)}\n`,
);

const value = (subject: string, what: string) =>
  rows.find((row) => row.subject === subject && row.case === `GET / ${what}`)?.median ?? Number.NaN;
const throughput = (subject: string) => value(subject, 'req/s');
const times = (a: number, b: number) => `${(a / b).toFixed(2)}×`;
const stack = throughput('composed stack');
const goals: Record<string, string> = {
  'composed stack': `${times(stack, throughput('fastify 5 + logger'))} Fastify + logger (goal ≥ 1.0×); ${times(stack, throughput('@plinth/http alone'))} http alone (goal ≥ 0.7×)`,
  'apps/reference': `${times(throughput('apps/reference'), stack)} the stack (goal ≥ 0.9×)`,
};
const table = [
  '| server | req/s | p99 | server CPU per request | against the goals |',
  '| --- | --: | --: | --: | --- |',
  ...contenders.map(
    (subject) =>
      `| ${subject} | ${throughput(subject).toLocaleString('en-US')} | ${value(subject, 'p99')} ms | ${value(subject, 'server CPU per request')} µs | ${goals[subject] ?? ''} |`,
  ),
  '',
  `${rounds} interleaved rounds × ${seconds} s, autocannon -c 50, medians; ${cpus().length} cores (${cpus()[0]?.model.trim()}), Node ${process.version}, ${pin ? 'server and load pinned to separate cores' : 'not pinned (no taskset)'}; load average ${loadBefore.toFixed(2)} before, ${loadAfter.toFixed(2)} after.`,
].join('\n');
console.log(table);

const readmeFile = fileURLToPath(new URL('../README.md', import.meta.url));
const readme = readFileSync(readmeFile, 'utf8');
const marked = /<!-- bench:start -->[\s\S]*<!-- bench:end -->/;
if (marked.test(readme)) {
  writeFileSync(readmeFile, readme.replace(marked, `<!-- bench:start -->\n${table}\n<!-- bench:end -->`));
  // Aligned the way biome formats markdown tables, so `pnpm lint` stays green after a run.
  execFileSync(require.resolve('@biomejs/biome/bin/biome'), ['format', '--write', readmeFile], {
    stdio: 'ignore',
  });
}
