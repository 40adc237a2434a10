// `flock /tmp/bench.lock node --import tsx bench/load.ts`: the whole app under load, as a user runs
// it (embedded defaults: PGlite, memory broker and queue, request logs on). autocannon against a read
// endpoint (GET /teams/:id/tasks) and a write endpoint (PATCH /tasks/:id) with a bearer token: req/s
// and p99. Then the graceful-shutdown figure: keep-alive clients loop on GET while the app gets
// SIGTERM; a request that fails on a connection opened before the signal is an error (the drain
// should leave none), a new connection refused after the listener closed is expected.
// Loopback only, bounded (BENCH_SECONDS per case, default 5). Writes bench/load-results.json.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { createRequire } from 'node:module';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { pin, pinned } from './pinning.js';

const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 10);
const shutdownClients = 20;
const appDir = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);
const autocannonBin = require.resolve('autocannon/autocannon.js');

/** Starts the app (src/main.ts through tsx, or BENCH_ENTRY, e.g. dist/main.js) and resolves with its URL. */
async function startApp(dataDir: string) {
  const file = process.env.BENCH_ENTRY ?? 'src/main.ts';
  const entry = file.endsWith('.ts') ? ['--import', 'tsx', file] : [file];
  const [command, args] = pinned(0, entry);
  const { DATABASE_URL: _database, REDIS_URL: _redis, ...inherited } = process.env;
  const child = spawn(command, args, {
    cwd: appDir,
    env: {
      ...inherited,
      PORT: '0',
      HOST: '127.0.0.1',
      NODE_ENV: 'production',
      LOG_LEVEL: 'info',
      DATA_DIR: dataDir,
      JWT_SECRET: randomBytes(48).toString('base64'),
      SHUTDOWN_TIMEOUT: '10s',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = once(child, 'exit') as Promise<[number | null]>;
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the app did not start within 90 s')), 90_000);
    void exited.then(([code]) => reject(new Error(`the app exited with ${code} before listening`)));
    // Every line is read (request logs included) so the pipe never fills; only the first URL is kept.
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (!line.startsWith('{')) return;
      const entry = JSON.parse(line) as { msg?: string; url?: string };
      if (typeof entry.url === 'string' && entry.msg?.includes('listening')) {
        clearTimeout(timer);
        resolve(entry.url.replace('localhost', '127.0.0.1'));
      }
    });
  });
  return { child, url, exited };
}

async function json<T>(url: string, init: RequestInit = {}): Promise<T> {
  const response = await fetch(url, init);
  if (!response.ok)
    throw new Error(`${init.method ?? 'GET'} ${url} answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as T;
}

interface CannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number };
  non2xx: number;
  errors: number;
  timeouts: number;
}

/** One autocannon run in its own process (pinned to core 1); its JSON summary. */
async function cannon(
  url: string,
  options: { method?: string; body?: string; headers: Record<string, string>; seconds?: number },
) {
  const args = [
    autocannonBin,
    '-c',
    String(connections),
    '-d',
    String(options.seconds ?? seconds),
    '-j',
    '-m',
    options.method ?? 'GET',
  ];
  for (const [name, value] of Object.entries(options.headers)) args.push('-H', `${name}=${value}`);
  if (options.body) args.push('-b', options.body);
  args.push(url);
  const [command, commandArgs] = pinned(1, args);
  const child = spawn(command, commandArgs, { stdio: ['ignore', 'pipe', 'ignore'] });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk;
  });
  await once(child, 'exit');
  const result = JSON.parse(output) as CannonResult;
  return {
    reqPerSec: Math.round(result.requests.average),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}

/** One GET on the client's keep-alive connection: what happened, and whether the socket was reused. */
function get(agent: Agent, url: string, headers: Record<string, string>) {
  return new Promise<{ outcome: 'ok' | 'status' | 'error'; reused: boolean; code?: string }>((resolve) => {
    const req = request(url, { agent, headers }, (response) => {
      response.resume();
      response.on('end', () =>
        resolve({ outcome: response.statusCode === 200 ? 'ok' : 'status', reused: req.reusedSocket }),
      );
      response.on('error', (error: NodeJS.ErrnoException) =>
        resolve({ outcome: 'error', reused: req.reusedSocket, code: error.code ?? error.message }),
      );
    });
    req.on('error', (error: NodeJS.ErrnoException) =>
      resolve({ outcome: 'error', reused: req.reusedSocket, code: error.code ?? error.message }),
    );
    req.end();
  });
}

/** Keep-alive clients loop on GET; SIGTERM after a second; counts what each saw until the app exited. */
async function shutdownUnderLoad(
  app: Awaited<ReturnType<typeof startApp>>,
  url: string,
  headers: Record<string, string>,
) {
  const counts = { ok: 0, non200: 0, errorsOnExistingConnections: 0, refusedNewConnections: 0 };
  const errorCodes: Record<string, number> = {};
  let exited = false;
  let signalledAt = 0;
  const loop = async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    while (!exited) {
      const result = await get(agent, url, headers);
      if (result.outcome === 'ok') counts.ok++;
      else if (result.outcome === 'status') counts.non200++;
      else if (result.reused) {
        counts.errorsOnExistingConnections++;
        errorCodes[result.code ?? 'unknown'] = (errorCodes[result.code ?? 'unknown'] ?? 0) + 1;
      } else {
        // A new connection after the listener closed: refused, as it should be (a balancer retries elsewhere).
        counts.refusedNewConnections++;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
    agent.destroy();
  };
  const loops = Array.from({ length: shutdownClients }, loop);
  await new Promise((resolve) => setTimeout(resolve, 1000));
  signalledAt = performance.now();
  app.child.kill('SIGTERM');
  const [code] = await app.exited;
  const drainMs = Math.round(performance.now() - signalledAt);
  exited = true;
  await Promise.all(loops);
  return { clients: shutdownClients, exitCode: code, drainMs, ...counts, errorCodes };
}

const dataDir = mkdtempSync(join(tmpdir(), 'plinth-reference-load-'));
const app = await startApp(join(dataDir, 'data'));
try {
  const login = await json<{ accessToken: string }>(`${app.url}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'owner@example.com', password: 'plinth-demo' }),
  });
  const headers = { authorization: `Bearer ${login.accessToken}`, accept: 'application/json' };
  const me = await json<{ teams: Array<{ id: string }> }>(`${app.url}/me`, { headers });
  const teamId = me.teams[0]?.id;
  const tasks = await json<{ items: Array<{ id: string }> }>(`${app.url}/teams/${teamId}/tasks`, { headers });
  const taskId = tasks.items[0]?.id;
  if (!teamId || !taskId) throw new Error('the demo data is missing: no team or task');
  const readUrl = `${app.url}/teams/${teamId}/tasks`;

  // A short warm-up (JIT, PGlite caches), not measured.
  await cannon(readUrl, { headers, seconds: 1 });

  const read = await cannon(readUrl, { headers });
  console.log(`GET /teams/:id/tasks  ${read.reqPerSec} req/s  p99 ${read.p99Ms} ms  non-2xx ${read.non2xx}`);
  const write = await cannon(`${app.url}/tasks/${taskId}`, {
    method: 'PATCH',
    headers: { ...headers, 'content-type': 'application/json' },
    body: JSON.stringify({ description: 'load test' }),
  });
  console.log(
    `PATCH /tasks/:id      ${write.reqPerSec} req/s  p99 ${write.p99Ms} ms  non-2xx ${write.non2xx}`,
  );
  const shutdown = await shutdownUnderLoad(app, readUrl, headers);
  console.log(
    `SIGTERM under load: exit ${shutdown.exitCode} after ${shutdown.drainMs} ms, ${shutdown.errorsOnExistingConnections} errors on existing connections, ${shutdown.refusedNewConnections} new connections refused`,
  );
  const results = {
    environment: {
      node: process.version,
      cores: cpus().length,
      loadavg: loadavg().map((value) => Number(value.toFixed(2))),
      pinned: pin,
      date: new Date().toISOString(),
      note: 'one run on a machine shared with other work: absolute numbers are rough',
    },
    settings: { seconds, connections, database: 'PGlite', logs: 'info to a pipe' },
    read: { endpoint: 'GET /teams/:teamId/tasks', ...read },
    write: { endpoint: 'PATCH /tasks/:taskId', ...write },
    shutdown: { endpoint: 'GET /teams/:teamId/tasks', ...shutdown },
  };
  writeFileSync(new URL('./load-results.json', import.meta.url), `${JSON.stringify(results, null, 2)}\n`);
} finally {
  if (app.child.exitCode === null) app.child.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
}
