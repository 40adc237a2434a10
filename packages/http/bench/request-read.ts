// What reading ctx.request costs over HTTP: a middleware that reads ctx.request.url and a header through
// ctx.request.headers, against the same app whose middleware reads nothing; a small JSON POST read with
// ctx.request.json(), against ctx.body.json(); a handler answering a JSON string it serialised itself with
// new Response(string, init), against ctx.respond(string, init); and Hono's node-server doing the same
// (c.req.raw.url and headers, c.req.json(), new Response). Each server runs in its own process pinned to
// core 0, autocannon in another pinned to core 1 (where taskset exists); rounds interleave the servers and
// the median of each is kept.
// `node --import tsx bench/request-read.ts` runs it alone; bench/index.ts runs it with the rest. It serves the
// build in dist/ (run `pnpm --filter @plinth/http build` first).
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { median } from './median.js';

const require = createRequire(import.meta.url);
const autocannonBin = require.resolve('autocannon/autocannon.js');
const tsx = require.resolve('tsx');
const thisFile = fileURLToPath(import.meta.url);

const servers = ['@plinth/http', 'hono 4 (node-server)'] as const;
type ServerName = (typeof servers)[number];

const POST_BODY = JSON.stringify({ name: 'Ada Lovelace', email: 'ada@example.com', age: 36 });
// What @plinth/handlers answers with: its own JSON string, with Content-Type and Content-Length.
const MADE_BODY = JSON.stringify({ id: '42', name: 'Ada Lovelace', email: 'ada@example.com' });
const MADE_INIT = {
  status: 200,
  headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(MADE_BODY)) },
};

/** One measured case: a path on each server, with the subject name the results table shows. */
const cases: Array<{
  name: string;
  method: 'GET' | 'POST';
  path: string;
  subject: Record<ServerName, string>;
}> = [
  {
    name: 'GET, middleware',
    method: 'GET',
    path: '/plain/x',
    subject: { '@plinth/http': '@plinth/http, reads nothing', 'hono 4 (node-server)': '' },
  },
  {
    name: 'GET, middleware',
    method: 'GET',
    path: '/read/x',
    subject: {
      '@plinth/http': '@plinth/http, reads ctx.request.url + headers.get()',
      'hono 4 (node-server)': 'hono 4 (node-server), reads c.req.raw.url + headers.get()',
    },
  },
  {
    name: 'GET, a JSON body serialised by hand',
    method: 'GET',
    path: '/made/response',
    subject: {
      '@plinth/http': '@plinth/http, new Response(string, init)',
      'hono 4 (node-server)': 'hono 4 (node-server), new Response(string, init)',
    },
  },
  {
    name: 'GET, a JSON body serialised by hand',
    method: 'GET',
    path: '/made/respond',
    subject: { '@plinth/http': '@plinth/http, ctx.respond(string, init)', 'hono 4 (node-server)': '' },
  },
  {
    name: 'POST small JSON',
    method: 'POST',
    path: '/body',
    subject: { '@plinth/http': '@plinth/http, ctx.body.json()', 'hono 4 (node-server)': '' },
  },
  {
    name: 'POST small JSON',
    method: 'POST',
    path: '/request',
    subject: {
      '@plinth/http': '@plinth/http, ctx.request.json()',
      'hono 4 (node-server)': 'hono 4 (node-server), c.req.json()',
    },
  },
];

// The built package, as users run it and as Hono runs (compiled JS): tsx's transform keeps function names
// with a __name() call per closure created, which costs @plinth/http ~1% of its CPU per request here.
async function loadBuilt<Module>(entry: string): Promise<Module> {
  const url = new URL(`../dist/${entry}`, import.meta.url);
  try {
    return (await import(url.href)) as Module;
  } catch (error) {
    throw new Error(`bench/request-read.ts serves the build: run pnpm --filter @plinth/http build first`, {
      cause: error,
    });
  }
}

async function startServer(name: ServerName, port: number): Promise<void> {
  const { createApp, json } = await loadBuilt<typeof import('../src/index.js')>('index.js');
  const host = '127.0.0.1';
  if (name === '@plinth/http') {
    const { serve } = await loadBuilt<typeof import('../src/node.js')>('node.js');
    const app = createApp();
    let sink = '';
    app.group('/plain').use((_ctx, next) => next());
    app.group('/read').use((ctx, next) => {
      sink = ctx.request.url + ctx.request.headers.get('user-agent');
      return next();
    });
    app.get('/plain/x', () => json({ hello: 'world' }));
    app.get('/read/x', () => json({ hello: 'world', seen: sink.length > 0 }));
    app.get('/made/response', () => new Response(MADE_BODY, MADE_INIT));
    app.get('/made/respond', (ctx) => ctx.respond(MADE_BODY, MADE_INIT));
    app.post('/body', async (ctx) => json(await ctx.body.json()));
    app.post('/request', async (ctx) => json(await ctx.request.json()));
    await serve(app, { port, hostname: host });
    return;
  }
  const { Hono } = await import('hono');
  const { serve } = await import('@hono/node-server');
  const app = new Hono();
  let sink = '';
  app.use('/read/*', async (c, next) => {
    sink = c.req.raw.url + c.req.raw.headers.get('user-agent');
    await next();
  });
  app.get('/read/x', (c) => c.json({ hello: 'world', seen: sink.length > 0 }));
  app.get('/made/response', () => new Response(MADE_BODY, MADE_INIT));
  app.post('/request', async (c) => c.json(await c.req.json()));
  await new Promise<void>((resolve) => serve({ fetch: app.fetch, port, hostname: host }, () => resolve()));
}

function hasTaskset(): boolean {
  try {
    execFileSync('taskset', ['-c', '0', 'true']);
    return true;
  } catch {
    return false;
  }
}

const pin = hasTaskset();
const pinned = (core: number, args: string[]): [string, string[]] =>
  pin ? ['taskset', ['-c', String(core), process.execPath, ...args]] : [process.execPath, args];

async function spawnServer(name: ServerName, port: number) {
  const [command, args] = pinned(0, ['--import', tsx, thisFile, 'serve', name, String(port)]);
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
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`${name}: no ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  };
  await waitFor(/ready\n/, 'ready line within 20 s');
  return {
    /** Microseconds of CPU (user + system) the server has used so far: steadier than req/s when shared. */
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
  method: 'GET' | 'POST',
  seconds: number,
): Promise<{ requests: number; total: number }> {
  const post =
    method === 'POST' ? ['-m', 'POST', '-H', 'content-type=application/json', '-b', POST_BODY] : [];
  const [command, args] = pinned(1, [autocannonBin, '-c', '50', '-d', String(seconds), '-j', ...post, url]);
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
    errors: number;
    non2xx: number;
  };
  if (result.errors + result.non2xx > 0)
    throw new Error(`${method} ${url}: ${result.errors + result.non2xx} errors`);
  return { requests: result.requests.average, total: result.requests.total };
}

/** Runs the benchmark; returns req/s and server CPU per request medians, per case and subject. */
export async function benchRequestRead(rounds = 3, seconds = 5, port = 43_127) {
  const samples = new Map<string, number[]>();
  const cpus = new Map<string, number[]>();
  for (let round = 0; round < rounds; round++) {
    const order = servers.map((_, index) => servers[(index + round) % servers.length] as ServerName);
    for (const name of order) {
      const server = await spawnServer(name, port);
      try {
        // Warm every route up before measuring any (JIT, connections), so that the first case measured is
        // not the one that pays for the process's warm-up.
        for (const { method, path, subject } of cases) {
          if (subject[name] !== '') await load(`http://127.0.0.1:${port}${path}`, method, 1);
        }
        // The order of the cases rotates too, so that no case is always measured first in a fresh process.
        const rotated = cases.map(
          (_, index) => cases[(index + round) % cases.length] as (typeof cases)[number],
        );
        for (const { name: caseName, method, path, subject } of rotated) {
          if (subject[name] === '') continue;
          const url = `http://127.0.0.1:${port}${path}`;
          const cpuBefore = await server.cpu();
          const { requests, total } = await load(url, method, seconds);
          const cpu = ((await server.cpu()) - cpuBefore) / Math.max(1, total);
          const key = `${caseName}\0${subject[name]}`;
          samples.set(key, [...(samples.get(key) ?? []), requests]);
          cpus.set(key, [...(cpus.get(key) ?? []), cpu]);
          console.error(
            `round ${round + 1} ${subject[name]}: ${Math.round(requests)} req/s, ${cpu.toFixed(1)} µs CPU/request`,
          );
        }
      } finally {
        await server.stop();
      }
    }
  }
  return [...samples].flatMap(([key, values]) => {
    const [name, subject] = key.split('\0') as [string, string];
    return [
      { case: `HTTP ctx.request: ${name}`, subject, median: Math.round(median(values)), unit: 'req/s' },
      {
        case: `HTTP ctx.request: ${name}, server CPU per request`,
        subject,
        median: Math.round(median(cpus.get(key) ?? []) * 10) / 10,
        unit: 'µs',
      },
    ];
  });
}

if (process.argv[2] === 'serve') {
  process.stdin.setEncoding('utf8');
  process.stdin.on('data', (chunk: string) => {
    if (chunk.includes('cpu')) {
      const { user, system } = process.cpuUsage();
      process.stdout.write(`cpu ${user + system}\n`);
    }
  });
  await startServer(process.argv[3] as ServerName, Number(process.argv[4]));
  process.stdout.write('ready\n');
} else if (import.meta.url === `file://${process.argv[1]}`) {
  const rows = await benchRequestRead(
    Number(process.env.BENCH_ROUNDS ?? 1),
    Number(process.env.BENCH_SECONDS ?? 3),
  );
  console.table(rows);
}
