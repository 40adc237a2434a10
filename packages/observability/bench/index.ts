// Benchmarks, one run, interleaved rounds, medians:
//   1. request-logging overhead on node:http: bare vs pino-http vs ours (autocannon, 127.0.0.1, keep-alive)
//   2. logger lines per CPU-second: ours (redaction on/off) vs raw pino with `redact` paths vs raw pino
// Writes bench/results.json and the README table between the bench markers.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { loadBuilt } from './built.js';
import { baselineSubject, type Result, ratioNote, writeReadmeTable } from './readme-table.js';

type Autocannon = (options: {
  url: string;
  connections: number;
  duration: number;
  pipelining: number;
}) => Promise<{ requests: { average: number; total: number }; non2xx: number; errors: number }>;

const require = createRequire(import.meta.url);
const autocannon = require('autocannon') as Autocannon;
const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? 0)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
};
const results: Result[] = [];
// BENCH_SMOKE=1: a few short rounds to prove the benchmark runs; prints, writes neither results nor README.
const smoke = process.env.BENCH_SMOKE === '1';
const { createLogger } = await loadBuilt<typeof import('../src/index.js')>('index');

/** Starts one benchmark server process (`group` of http-servers.ts) and resolves its ports. */
async function startServers(
  group: string,
): Promise<{ child: ReturnType<typeof spawn>; ports: Record<string, number> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', here('./http-servers.ts'), group], {
    stdio: ['pipe', 'pipe', 'inherit'],
    env: { ...process.env, NODE_ENV: 'production' },
  });
  const ports = await new Promise<Record<string, number>>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split('\n').find((candidate) => candidate.startsWith('{'));
      if (line !== undefined) resolve((JSON.parse(line) as { ports: Record<string, number> }).ports);
    });
    child.on('exit', () => reject(new Error('benchmark servers exited early')));
  });
  return { child, ports };
}

async function benchHttp(): Promise<void> {
  // Two processes: the subjects that enter AsyncLocalStorage, and those that never do (see http-servers.ts).
  const groups = [await startServers('hooked'), await startServers('hook-free')];
  const killer = setTimeout(() => {
    for (const { child } of groups) child.kill('SIGKILL');
  }, 5 * 60_000);
  try {
    const ports: Record<string, number> = {};
    const cpuPortOf: Record<string, number> = {};
    for (const group of groups) {
      const { cpu, ...servers } = group.ports;
      for (const [subject, port] of Object.entries(servers)) {
        ports[subject] = port;
        cpuPortOf[subject] = cpu ?? 0;
      }
    }
    const subjects = Object.keys(ports);
    const samples = new Map<string, number[]>(subjects.map((subject) => [subject, []]));
    const cpuSamples = new Map<string, number[]>(subjects.map((subject) => [subject, []]));
    const cpuMicros = async (subject: string) =>
      (
        (await (await fetch(`http://127.0.0.1:${cpuPortOf[subject]}/`)).json()) as {
          cpuMicros: number;
        }
      ).cpuMicros;
    const run = async (subject: string, duration: number) => {
      const cpuBefore = await cpuMicros(subject);
      const result = await autocannon({
        url: `http://127.0.0.1:${ports[subject]}/orders/42?page=1`,
        connections: 16,
        duration,
        pipelining: 1,
      });
      const cpuAfter = await cpuMicros(subject);
      if (result.errors > 0 || result.non2xx > 0)
        throw new Error(`${subject}: ${result.errors} errors, ${result.non2xx} non-2xx`);
      cpuSamples.get(subject)?.push((cpuAfter - cpuBefore) / result.requests.total);
      return result.requests.average;
    };
    for (const subject of subjects) await run(subject, 1); // warm-up
    for (const list of cpuSamples.values()) list.length = 0;
    const rounds = smoke ? 2 : 11;
    for (let round = 0; round < rounds; round++) {
      // Rotate the order each round so drift on a shared machine spreads over every subject.
      for (let index = 0; index < subjects.length; index++) {
        const subject = subjects[(index + round) % subjects.length] ?? '';
        samples.get(subject)?.push(await run(subject, 1));
      }
      process.stdout.write(`http round ${round + 1}/${rounds}\n`);
    }
    for (const subject of subjects) {
      const rps = median(samples.get(subject) ?? []);
      results.push({
        case: 'node:http req/s (16 connections)',
        subject,
        median: Math.round(rps),
        unit: 'req/s',
      });
    }
    // Fetch-style subjects are compared with the same context and no middleware (in their own process),
    // the rest with bare node:http.
    const baselineOf = (subject: string): string => baselineSubject(subject);
    const baselines = new Set(subjects.map(baselineOf));
    for (const subject of subjects) {
      const cpu = median(cpuSamples.get(subject) ?? []);
      results.push({
        case: 'server CPU per request',
        subject,
        median: Math.round(cpu * 100) / 100,
        unit: 'µs CPU',
      });
    }
    for (const subject of subjects.filter((name) => !baselines.has(name))) {
      const cpu = median(cpuSamples.get(subject) ?? []);
      const baseCpu = median(cpuSamples.get(baselineOf(subject)) ?? []);
      results.push({
        case: 'overhead per request vs its baseline (server CPU)',
        subject,
        median: Math.round((cpu - baseCpu) * 100) / 100,
        unit: 'µs CPU',
      });
    }
    for (const subject of subjects.filter((name) => !baselines.has(name))) {
      const rps = median(samples.get(subject) ?? []);
      const baseRps = median(samples.get(baselineOf(subject)) ?? []);
      results.push({
        case: 'overhead per request vs its baseline (from req/s)',
        subject,
        median: Math.round((1e6 / rps - 1e6 / baseRps) * 100) / 100,
        unit: 'µs',
      });
    }
  } finally {
    clearTimeout(killer);
    for (const { child } of groups) {
      child.stdin?.end();
      child.kill();
    }
  }
}

function benchLogger(): void {
  const noop = { write: (_line: string) => undefined };
  const time = pino.stdTimeFunctions.isoTime;
  const redactPaths = [
    'req.headers.authorization',
    'req.headers.cookie',
    'req.headers["set-cookie"]',
    'req.headers["x-api-key"]',
    '*.password',
    '*.token',
    '*.secret',
    '*.apiKey',
  ];
  const subjects: Record<string, pino.Logger> = {
    '@plinth/observability (redaction on)': createLogger({ destination: noop }),
    '@plinth/observability (redaction off)': createLogger({ destination: noop, redact: false }),
    'pino with redact paths': pino({ timestamp: time, redact: redactPaths }, noop),
    pino: pino({ timestamp: time }, noop),
  };
  const cases: Record<string, (log: pino.Logger) => void> = {
    'logger lines per CPU-second, flat fields': (log) =>
      log.info(
        { requestId: 'f0e1d2c3', userId: 42, route: '/orders/:id', status: 200, durationMs: 1.23 },
        'done',
      ),
    'logger lines per CPU-second, nested request with headers': (log) =>
      log.info(
        {
          req: {
            method: 'GET',
            url: '/orders/42',
            headers: {
              host: 'api.test',
              accept: '*/*',
              authorization: 'Bearer abc',
              cookie: 'sid=1',
              'user-agent': 'bench',
            },
          },
          userId: 42,
        },
        'incoming',
      ),
  };
  const lines = 20_000;
  const rounds = smoke ? 3 : 21;
  for (const [caseName, write] of Object.entries(cases)) {
    const names = Object.keys(subjects);
    const samples = new Map<string, number[]>(names.map((name) => [name, []]));
    for (const name of names) for (let i = 0; i < 5_000; i++) write(subjects[name] as pino.Logger); // warm-up
    for (let round = 0; round < rounds; round++) {
      for (let index = 0; index < names.length; index++) {
        const name = names[(index + round) % names.length] ?? '';
        const log = subjects[name] as pino.Logger;
        // CPU time of this (single-threaded) loop, not wall time: other jobs on a shared machine then
        // barely move the numbers.
        const start = process.cpuUsage();
        for (let i = 0; i < lines; i++) write(log);
        const used = process.cpuUsage(start);
        samples.get(name)?.push(lines / ((used.user + used.system) / 1e6));
      }
    }
    for (const name of names) {
      results.push({
        case: caseName,
        subject: name,
        median: Math.round(median(samples.get(name) ?? [])),
        unit: 'lines/s',
      });
    }
  }
}

await benchHttp();
benchLogger();
if (!smoke) {
  writeFileSync(here('./results.json'), `${JSON.stringify(results, null, 2)}\n`);
  writeReadmeTable(results, here('../README.md'));
}
for (const result of results) {
  process.stdout.write(
    `${result.case} | ${result.subject} | ${result.median} ${result.unit} | ${ratioNote(result, results)}\n`,
  );
}
