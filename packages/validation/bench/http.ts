// (b) A validated POST end to end on node:http: @plinth/http + this package (zod) vs Fastify with its
// JSON schema (ajv), same payload. Each server runs in its own process pinned to core 0, autocannon in
// another pinned to core 1 (where taskset exists); rounds interleave the contenders, medians are kept.
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { median, roundRatios } from './median.js';
import { sampleOrder } from './payload.js';

const allContenders = [
  '@plinth/http + validation (zod)',
  'fastify 5 (ajv JSON schema)',
  'fastify 5 + validation (zod)',
  '@plinth/http, JSON.parse only',
  'node:http, JSON.parse only',
];
// BENCH_ONLY="name|name" runs a subset (e.g. the two of the goal, for more rounds in the same time); names
// are separated by | since some hold a comma.
export const contenders = process.env.BENCH_ONLY
  ? allContenders.filter((name) => process.env.BENCH_ONLY?.split('|').includes(name))
  : allContenders;

const require = createRequire(import.meta.url);
const autocannonBin = require.resolve('autocannon/autocannon.js');
const serversFile = fileURLToPath(new URL('./servers.ts', import.meta.url));
const tsx = require.resolve('tsx');
const { passwordHash: _never, ...order } = sampleOrder();
const payload = JSON.stringify(order);

function hasTaskset(): boolean {
  try {
    execFileSync('taskset', ['-c', '0', 'true']);
    return true;
  } catch {
    return false;
  }
}

const pin = hasTaskset();

/** The command that runs node with `args` pinned to `core`, or unpinned where taskset is missing. */
export function pinned(core: number, args: string[]): [string, string[]] {
  return pin ? ['taskset', ['-c', String(core), process.execPath, ...args]] : [process.execPath, args];
}

async function startServer(contender: string, port: number) {
  const [command, args] = pinned(0, ['--import', tsx, serversFile, contender, String(port)]);
  const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'inherit'] });
  let output = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    output += chunk;
  });
  const waitFor = async (pattern: RegExp, what: string): Promise<RegExpMatchArray> => {
    const deadline = Date.now() + 20_000;
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
  await waitFor(/ready\n/, 'ready line within 20 s');
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

async function load(url: string, seconds: number) {
  const [command, args] = pinned(1, [
    autocannonBin,
    ...['-c', '50', '-d', String(seconds), '-j', '-m', 'POST'],
    ...['-H', 'content-type=application/json', '-b', payload, url],
  ]);
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'ignore'] });
  let output = '';
  child.stdout.on('data', (chunk) => {
    output += String(chunk);
  });
  const killer = setTimeout(() => child.kill('SIGKILL'), (seconds + 30) * 1000);
  await once(child, 'exit');
  clearTimeout(killer);
  const result = JSON.parse(output) as {
    requests: { average: number; total: number };
    latency: { p99: number };
    errors: number;
    non2xx: number;
  };
  return {
    requests: result.requests.average,
    total: result.requests.total,
    p99: result.latency.p99,
    errors: result.errors + result.non2xx,
  };
}

type Row = { case: string; subject: string; median: number; unit: string };

const reference = 'fastify 5 (ajv JSON schema)';

/**
 * Runs the HTTP benchmark; returns req/s, p99 and server CPU per request medians per contender, and
 * each row's paired ratio to Fastify (keyed by the row) when Fastify ran.
 */
export async function benchHttp(
  rounds = 3,
  seconds = 5,
  port = 41_017,
): Promise<{ rows: Row[]; ratios: Map<Row, number>; pinned: boolean }> {
  const requests = new Map<string, number[]>();
  const p99s = new Map<string, number[]>();
  const cpus = new Map<string, number[]>();
  const add = (map: Map<string, number[]>, key: string, value: number) =>
    map.set(key, [...(map.get(key) ?? []), value]);
  for (let round = 0; round < rounds; round++) {
    const order = contenders.map((_, index) => contenders[(index + round) % contenders.length] as string);
    for (const contender of order) {
      const server = await startServer(contender, port);
      try {
        const url = `http://127.0.0.1:${port}/orders`;
        await load(url, 2); // warm-up: JIT, connection pools
        const cpuBefore = await server.cpu();
        const result = await load(url, seconds);
        const cpuPerRequest = ((await server.cpu()) - cpuBefore) / Math.max(1, result.total);
        if (result.errors > 0) throw new Error(`${contender}: ${result.errors} errors or non-2xx`);
        add(requests, contender, result.requests);
        add(p99s, contender, result.p99);
        add(cpus, contender, cpuPerRequest);
        console.error(
          `round ${round + 1} ${contender}: ${Math.round(result.requests)} req/s, ${cpuPerRequest.toFixed(1)} µs CPU`,
        );
      } finally {
        await server.stop();
      }
    }
  }
  const rows: Row[] = [];
  const ratios = new Map<Row, number>();
  const name = 'HTTP POST /orders (validated)';
  const measures = [
    { label: name, samples: requests, unit: 'req/s', round: (value: number) => Math.round(value) },
    { label: `${name} p99`, samples: p99s, unit: 'ms', round: (value: number) => value },
    {
      label: `${name} server CPU per request`,
      samples: cpus,
      unit: 'µs',
      round: (value: number) => Math.round(value * 10) / 10,
    },
  ];
  for (const contender of contenders) {
    for (const measure of measures) {
      const values = measure.samples.get(contender) ?? [];
      const row = {
        case: measure.label,
        subject: contender,
        median: measure.round(median(values)),
        unit: measure.unit,
      };
      rows.push(row);
      const paired = roundRatios(values, measure.samples.get(reference) ?? [], measure.unit === 'req/s');
      if (paired.length > 0) ratios.set(row, median(paired));
    }
  }
  return { rows, ratios, pinned: pin };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const rounds = Number(process.env.BENCH_ROUNDS ?? 1);
  const seconds = Number(process.env.BENCH_SECONDS ?? 3);
  console.table((await benchHttp(rounds, seconds)).rows);
}
