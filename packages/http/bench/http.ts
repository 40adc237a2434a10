// HTTP req/s and p99 latency: @plinth/http's serve vs raw node:http, Fastify 5, Express 5 and Hono 4.
// Each server runs in its own process pinned to core 0, autocannon in another pinned to core 1 (where
// taskset exists); rounds interleave the contenders and the median of each is kept.
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { median } from './median.js';

export const contenders = ['@plinth/http', 'node:http', 'fastify 5', 'express 5', 'hono 4 (node-server)'];
export const httpCases = [
  { name: 'GET /', path: '/' },
  { name: 'GET /users/:id', path: '/users/42' },
];

const require = createRequire(import.meta.url);
const autocannonBin = require.resolve('autocannon/autocannon.js');
const serversFile = fileURLToPath(new URL('./servers.ts', import.meta.url));
const tsx = require.resolve('tsx');

function hasTaskset(): boolean {
  try {
    execFileSync('taskset', ['-c', '0', 'true']);
    return true;
  } catch {
    return false;
  }
}

const pin = hasTaskset();

function pinned(core: number, args: string[]): [string, string[]] {
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

async function load(
  url: string,
  seconds: number,
): Promise<{ requests: number; total: number; p99: number; errors: number }> {
  const [command, args] = pinned(1, [autocannonBin, '-c', '50', '-d', String(seconds), '-j', url]);
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

/** Runs the HTTP benchmark; returns req/s and p99 medians per case and contender. */
export async function benchHttp(rounds = 3, seconds = 5, port = 43_117) {
  const requests = new Map<string, number[]>();
  const p99s = new Map<string, number[]>();
  const cpus = new Map<string, number[]>();
  for (let round = 0; round < rounds; round++) {
    const order = contenders.map((_, index) => contenders[(index + round) % contenders.length] as string);
    for (const contender of order) {
      const server = await startServer(contender, port);
      try {
        for (const { name, path } of httpCases) {
          await load(`http://127.0.0.1:${port}${path}`, 2); // warm-up: JIT, connection pools
          const cpuBefore = await server.cpu();
          const result = await load(`http://127.0.0.1:${port}${path}`, seconds);
          const cpuPerRequest = (await server.cpu()) - cpuBefore;
          if (result.errors > 0) throw new Error(`${contender} ${name}: ${result.errors} errors or non-2xx`);
          const key = `${name}\0${contender}`;
          requests.set(key, [...(requests.get(key) ?? []), result.requests]);
          p99s.set(key, [...(p99s.get(key) ?? []), result.p99]);
          cpus.set(key, [...(cpus.get(key) ?? []), cpuPerRequest / Math.max(1, result.total)]);
          console.error(
            `round ${round + 1} ${contender} ${name}: ${Math.round(result.requests)} req/s, p99 ${result.p99} ms`,
          );
        }
      } finally {
        await server.stop();
      }
    }
  }
  const rows: Array<{ case: string; subject: string; median: number; unit: string }> = [];
  for (const [key, values] of requests) {
    const [name, subject] = key.split('\0') as [string, string];
    rows.push({ case: `HTTP ${name}`, subject, median: Math.round(median(values)), unit: 'req/s' });
    rows.push({ case: `HTTP ${name} p99`, subject, median: median(p99s.get(key) ?? []), unit: 'ms' });
    rows.push({
      case: `HTTP ${name} server CPU per request`,
      subject,
      median: Math.round(median(cpus.get(key) ?? []) * 10) / 10,
      unit: 'µs',
    });
  }
  return { rows, pinned: pin };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const rounds = Number(process.env.BENCH_ROUNDS ?? 1);
  const seconds = Number(process.env.BENCH_SECONDS ?? 3);
  console.table((await benchHttp(rounds, seconds)).rows);
}
