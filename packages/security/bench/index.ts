// @plinth/security benchmarks, one run, interleaved rounds, medians:
// 1. limiter stores (memory, Redis) vs rate-limiter-flexible, same settings, 50 in flight over 1,000 keys;
// 2. the limiter inside an Express 5 app vs express-rate-limit (cost vs the bare app);
// 3. secure headers vs helmet on the same node:http server (cost vs the bare server), and the same
//    headers written by the handler itself with no middleware: what sending them costs at all;
// 4. the fetch middleware's no-op paths, per call (cost vs next() alone; bench/middleware.ts).
// The servers of 2 and 3 each run in their own process, the load in another (bench/servers.ts, load.ts).
// Writes bench/results.json and the README table. BENCH_ROUNDS / BENCH_ROUND_MS (in-process cases) and
// BENCH_HTTP_ROUNDS / BENCH_HTTP_ROUND_MS (servers) shorten a smoke run.
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
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
// The servers' ratios need more rounds than the in-process cases to settle (BENCH_HTTP_ROUNDS).
const httpRounds = Number(process.env.BENCH_HTTP_ROUNDS ?? 10);
const httpRoundMs = Number(process.env.BENCH_HTTP_ROUND_MS ?? 1000);
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
  // A loaded machine can hold Redis past the default 500 ms; the bench measures throughput, not timeouts.
  const ourRedis = redisStore({ client, prefix, timeoutMs: 10_000 });
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

/** The HTTP servers of bench/servers.ts by group: each runs in its own process. */
const serverGroups = {
  express: {
    caseName: 'Express 5 app, GET /, rate limited',
    subjects: [
      'bare',
      '@plinth/security expressRateLimit (memory)',
      'express-rate-limit (memory)',
      'no limiter, a middleware setting the same two headers with setHeader',
    ],
  },
  'node:http': {
    caseName: 'node:http server, GET /, secure headers',
    subjects: [
      'bare',
      '@plinth/security secure headers',
      'helmet',
      'the same headers in writeHead, no middleware',
    ],
  },
} as const;

function hasTaskset(): boolean {
  try {
    execFileSync('taskset', ['-c', '0', 'true'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const pin = hasTaskset();

/** A node process (pinned to `core` where taskset exists) spoken to one line at a time. */
function lineProcess(core: number, args: string[]) {
  const nodeArgs = ['--import', 'tsx', ...args];
  const child = pin
    ? spawn('taskset', ['-c', String(core), process.execPath, ...nodeArgs], {
        env: { ...process.env, NODE_ENV: 'production' },
        stdio: ['pipe', 'pipe', 'inherit'],
      })
    : spawn(process.execPath, nodeArgs, {
        env: { ...process.env, NODE_ENV: 'production' },
        stdio: ['pipe', 'pipe', 'inherit'],
      });
  const lines: string[] = [];
  const waiting: Array<(line: string) => void> = [];
  createInterface({ input: child.stdout! }).on('line', (line) => {
    const waiter = waiting.shift();
    if (waiter === undefined) lines.push(line);
    else waiter(line);
  });
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) => reject(new Error(`${args.join(' ')} exited (${code})`))),
  );
  exited.catch(() => {});
  const nextLine = () =>
    Promise.race([
      lines.length > 0
        ? Promise.resolve(lines.shift()!)
        : new Promise<string>((resolve) => waiting.push(resolve)),
      exited,
    ]);
  return {
    nextLine,
    ask(line: string) {
      child.stdin!.write(`${line}\n`);
      return nextLine();
    },
    stop() {
      child.stdin!.end();
      child.kill();
    },
  };
}

/**
 * Each server in its own process on core 0, the load generator in another on core 1; per group, one
 * warm-up round per server, then `httpRounds` rounds in a rotating order. Each round gives requests per
 * second (as the client saw them) and the server's CPU µs per request (process.cpuUsage around it).
 */
async function httpBench(results: Result[]) {
  const load = lineProcess(1, [fileURLToPath(new URL('./load.ts', import.meta.url))]);
  const serversFile = fileURLToPath(new URL('./servers.ts', import.meta.url));
  let port = Number(process.env.BENCH_PORT ?? 41_200);
  const running: Array<ReturnType<typeof lineProcess>> = [];
  try {
    for (const [group, { caseName, subjects }] of Object.entries(serverGroups)) {
      const servers = new Map<string, { port: number; process: ReturnType<typeof lineProcess> }>();
      for (const subject of subjects) {
        const server = lineProcess(0, [serversFile, `${group}: ${subject}`, String(port)]);
        running.push(server);
        const ready = await server.nextLine();
        const listening = Number(ready.split(' ')[1]);
        servers.set(subject, { port: listening, process: server });
        port = listening + 1;
      }
      const rps = new Map<string, number[]>(subjects.map((subject) => [subject, []]));
      const cpu = new Map<string, number[]>(subjects.map((subject) => [subject, []]));
      const round = async (subject: string) => {
        const server = servers.get(subject)!;
        const before = Number((await server.process.ask('cpu')).split(' ')[1]);
        const answer = JSON.parse(await load.ask(`${server.port} ${httpConnections} ${httpRoundMs}`)) as {
          responses: number;
          seconds: number;
          errors: number;
        };
        const after = Number((await server.process.ask('cpu')).split(' ')[1]);
        if (answer.errors > 0) throw new Error(`${group}: ${subject}: ${answer.errors} failed requests`);
        return { rps: answer.responses / answer.seconds, cpu: (after - before) / answer.responses };
      };
      for (const subject of subjects) await round(subject);
      for (let index = 0; index < httpRounds; index++) {
        for (let offset = 0; offset < subjects.length; offset++) {
          const subject = subjects[(offset + index) % subjects.length]!;
          const sample = await round(subject);
          rps.get(subject)!.push(sample.rps);
          cpu.get(subject)!.push(sample.cpu);
        }
      }
      for (const subject of subjects)
        results.push({
          case: caseName,
          subject,
          median: Math.round(median(rps.get(subject)!)),
          unit: 'req/s',
        });
      for (const subject of subjects) {
        results.push({
          case: `${caseName}, server CPU`,
          subject,
          median: Math.round(median(cpu.get(subject)!) * 10) / 10,
          unit: 'µs/req',
        });
      }
      for (const server of servers.values()) server.process.stop();
    }
  } finally {
    for (const server of running) server.stop();
    load.stop();
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
  `Node ${process.version}, ${cpus().length} cores shared with other work; ${rounds} interleaved rounds of ${roundMs} ms after a warm-up, medians. Stores: ${inFlight} calls in flight over ${keyCount} keys, fixed window, a limit never reached. Servers: each in its own process${pin ? ' pinned to core 0' : ''}, load from a raw-socket client process${pin ? ' on core 1' : ''} (${httpConnections} keep-alive connections, one request in flight on each), ${httpRounds} interleaved rounds of ${httpRoundMs} ms after a warm-up round per server, medians of throughput and of the server's CPU per request. Fetch middleware: one call awaited at a time on a fresh @plinth/http-shaped context, next() answering a @plinth/http json() Response.`,
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
