// @plinth/security benchmarks, one run, interleaved rounds, medians:
// 1. limiter stores (memory, Redis) vs rate-limiter-flexible, same settings, 50 in flight over 1,000 keys;
// 2. the limiter inside an Express 5 app vs express-rate-limit (cost vs the bare app);
// 3. secure headers vs helmet on the same node:http server (cost vs the bare server), and the same
//    headers written by the handler itself with no middleware: what sending them costs at all;
// 4. the fetch middleware's no-op paths, per call (cost vs next() alone; bench/middleware.ts).
// Writes bench/results.json and the README table. BENCH_ROUNDS / BENCH_ROUND_MS shorten a smoke run.
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { cpus } from 'node:os';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis } from 'rate-limiter-flexible';
import { memoryStore } from '../src/drivers/memory.js';
import { redisStore } from '../src/drivers/redis.js';
import { createRateLimiter } from '../src/rate-limit.js';
import { middlewareSubjects, nanosecondsPerCall } from './middleware.js';

const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
const roundMs = Number(process.env.BENCH_ROUND_MS ?? 1500);
const inFlight = 50;
const keyCount = 1_000;
const httpConnections = 20;
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

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

/** Runs every subject `rounds` times in a rotating order (after one discarded warm-up) and returns medians. */
async function interleave(subjects: Record<string, () => Promise<number>>): Promise<Map<string, number>> {
  const names = Object.keys(subjects);
  const samples = new Map<string, number[]>(names.map((name) => [name, []]));
  for (const name of names) await subjects[name]!();
  for (let index = 0; index < rounds; index++) {
    const order = names.map((_, offset) => names[(offset + index) % names.length]!);
    for (const name of order) samples.get(name)!.push(await subjects[name]!());
  }
  return new Map(names.map((name) => [name, median(samples.get(name)!)]));
}

/** Operations per second with `inFlight` workers calling `operation` on keys spread over `keyCount`. */
async function opsPerSecond(operation: (key: string) => Promise<unknown>): Promise<number> {
  const keys = Array.from({ length: keyCount }, (_, index) => `bench-key-${index}`);
  let done = 0;
  const deadline = performance.now() + roundMs;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: inFlight }, async (_, worker) => {
      let index = worker;
      while (performance.now() < deadline) {
        for (let batch = 0; batch < 64; batch++) {
          await operation(keys[index % keyCount]!);
          index += inFlight;
          done++;
        }
      }
    }),
  );
  return done / ((performance.now() - started) / 1000);
}

async function storeBench(results: Result[]) {
  const windowMs = 60_000;
  const points = 1_000_000_000;
  const view = (key: string) => ({ method: 'GET', path: '/', peer: undefined, header: () => key });
  const ourMemory = memoryStore();
  const ourMemoryLimiter = createRateLimiter({
    store: memoryStore(),
    policies: [{ name: 'default', limit: points, windowMs, algorithm: 'fixed-window' }],
    key: (req) => req.header('k'),
  });
  const theirMemory = new RateLimiterMemory({ points, duration: windowMs / 1000 });
  const request = (key: string) => [{ key, algorithm: 'fixed-window' as const, limit: points, windowMs }];
  const memory = await interleave({
    '@plinth/security memoryStore().consume': () => opsPerSecond((key) => ourMemory.consume(request(key))),
    '@plinth/security limiter.check (memory, headers built)': () =>
      opsPerSecond((key) => ourMemoryLimiter.check(view(key))),
    'rate-limiter-flexible RateLimiterMemory.consume': () => opsPerSecond((key) => theirMemory.consume(key)),
  });
  for (const [subject, value] of memory)
    results.push({
      case: 'memory limiter, 50 in flight, 1,000 keys',
      subject,
      median: Math.round(value),
      unit: 'ops/s',
    });
  await ourMemory.close();

  const client = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  try {
    await client.ping();
  } catch {
    console.warn(`[skip] Redis is not reachable at ${redisUrl}; the Redis rows are skipped.`);
    client.disconnect();
    return;
  }
  const prefix = `plinth-security-bench:${process.pid}:`;
  const ourRedis = redisStore({ client, prefix });
  const theirRedis = new RateLimiterRedis({
    storeClient: client,
    points,
    duration: windowMs / 1000,
    keyPrefix: `${prefix}rlf`,
  });
  const redis = await interleave({
    '@plinth/security redisStore().consume': () => opsPerSecond((key) => ourRedis.consume(request(key))),
    'rate-limiter-flexible RateLimiterRedis.consume': () => opsPerSecond((key) => theirRedis.consume(key)),
  });
  for (const [subject, value] of redis)
    results.push({
      case: 'Redis limiter, 50 in flight, 1,000 keys',
      subject,
      median: Math.round(value),
      unit: 'ops/s',
    });
  const keys = await client.keys(`${prefix}*`);
  for (let index = 0; index < keys.length; index += 500) await client.del(...keys.slice(index, index + 500));
  await client.quit();
}

function get(port: number, agent: Agent): Promise<number> {
  return new Promise((resolve, reject) => {
    const outgoing = request({ host: '127.0.0.1', port, path: '/', agent }, (incoming) => {
      incoming.resume();
      incoming.on('end', () => resolve(incoming.statusCode ?? 0));
    });
    outgoing.on('error', reject);
    outgoing.end();
  });
}

function cpuMicros(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const outgoing = request({ host: '127.0.0.1', port, path: '/', agent: false }, (incoming) => {
      let body = '';
      incoming.on('data', (chunk) => {
        body += chunk;
      });
      incoming.on('end', () => resolve(Number(body)));
    });
    outgoing.on('error', reject);
    outgoing.end();
  });
}

/** One round against `port`: requests per second, and the server process's CPU µs per request. */
async function httpRound(port: number, cpuPort: number): Promise<{ rps: number; cpu: number }> {
  const before = await cpuMicros(cpuPort);
  const rps = await requestsPerSecond(port);
  const after = await cpuMicros(cpuPort);
  return { rps, cpu: (after - before) / (rps * (roundMs / 1000)) };
}

async function requestsPerSecond(port: number): Promise<number> {
  const agent = new Agent({ keepAlive: true, maxSockets: httpConnections });
  let done = 0;
  const deadline = performance.now() + roundMs;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: httpConnections }, async () => {
      while (performance.now() < deadline) {
        const status = await get(port, agent);
        if (status !== 200) throw new Error(`GET / answered ${status}`);
        done++;
      }
    }),
  );
  agent.destroy();
  return done / ((performance.now() - started) / 1000);
}

async function httpBench(results: Result[]) {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(new URL('./servers.ts', import.meta.url))],
    {
      env: { ...process.env, NODE_ENV: 'production' },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  try {
    const line = await createInterface({ input: child.stdout! })[Symbol.asyncIterator]().next();
    const ports = JSON.parse(String(line.value)) as Record<string, number>;
    const cpuPort = ports.__cpu!;
    for (const group of ['express', 'node:http']) {
      const names = Object.keys(ports).filter((name) => name.startsWith(`${group}:`));
      const cpu = new Map<string, number[]>(names.map((name) => [name, []]));
      const measure = (name: string) => async () => {
        const round = await httpRound(ports[name]!, cpuPort);
        cpu.get(name)!.push(round.cpu);
        return round.rps;
      };
      const medians = await interleave(Object.fromEntries(names.map((name) => [name, measure(name)])));
      const caseName =
        group === 'express'
          ? 'Express 5 app, GET /, rate limited'
          : 'node:http server, GET /, secure headers';
      for (const [subject, value] of medians) {
        results.push({
          case: caseName,
          subject: subject.slice(group.length + 2),
          median: Math.round(value),
          unit: 'req/s',
        });
      }
      // The first sample of each subject is its warm-up round.
      for (const name of names) {
        results.push({
          case: `${caseName}, server CPU`,
          subject: name.slice(group.length + 2),
          median: Math.round(median(cpu.get(name)!.slice(1)) * 10) / 10,
          unit: 'µs/req',
        });
      }
    }
  } finally {
    child.kill();
  }
}

async function middlewareBench(results: Result[]) {
  const medians = await interleave(
    Object.fromEntries(
      Object.entries(middlewareSubjects).map(([name, middleware]) => [
        name,
        () => nanosecondsPerCall(middleware, roundMs),
      ]),
    ),
  );
  for (const [subject, value] of medians)
    results.push({
      case: 'fetch middleware, one call awaited, json() response',
      subject,
      median: Math.round(value),
      unit: 'ns/call',
    });
}

const results: Result[] = [];
await storeBench(results);
await httpBench(results);
await middlewareBench(results);
writeFileSync(new URL('./results.json', import.meta.url), `${JSON.stringify(results, null, 2)}\n`);

/** The ratio column: stores against rate-limiter-flexible; servers as a cost against the bare one. */
function comparison(result: Result): string {
  const same = results.filter((other) => other.case === result.case);
  const rlf = same.find((other) => other.subject.startsWith('rate-limiter-flexible'));
  if (rlf) return result === rlf ? '1.00×' : `${(result.median / rlf.median).toFixed(2)}× rlf`;
  const bare = same.find((other) => other.subject === 'bare');
  if (!bare || result === bare) return '';
  // Throughput lost, or CPU added per request, against the bare server.
  if (result.unit === 'ns/call')
    return `${result.median >= bare.median ? '+' : ''}${result.median - bare.median} ns`;
  const cost =
    result.unit === 'req/s'
      ? (bare.median - result.median) / bare.median
      : (result.median - bare.median) / bare.median;
  return `cost ${(cost * 100).toFixed(1)}%`;
}

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

const rows = results.map((result) => [
  result.case,
  result.subject,
  `${result.median} ${result.unit}`,
  comparison(result),
]);
const table = [
  `Node ${process.version}, ${cpus().length} cores shared with other work; ${rounds} interleaved rounds of ${roundMs} ms after a warm-up, medians. Stores: ${inFlight} calls in flight over ${keyCount} keys, fixed window, a limit never reached. Servers in a child process, ${httpConnections} keep-alive connections from a node:http client. Fetch middleware: one call awaited at a time on a fresh @plinth/http-shaped context, next() answering a @plinth/http json() Response.`,
  '',
  ...markdownTable(['case', 'subject', 'median', 'comparison'], [false, false, true, true], rows),
].join('\n');
const readmeUrl = new URL('../README.md', import.meta.url);
const readme = readFileSync(readmeUrl, 'utf8');
const start = readme.indexOf('<!-- bench:start -->');
const end = readme.indexOf('<!-- bench:end -->');
if (start !== -1 && end > start)
  writeFileSync(readmeUrl, `${readme.slice(0, start)}<!-- bench:start -->\n${table}\n${readme.slice(end)}`);
console.log(table);
