// The reference app as a real process: it starts on embedded defaults (PGlite in a data folder of its
// own), serves, and on SIGTERM turns not-ready, finishes what it accepted and exits 0.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { Agent, request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

const appDir = new URL('..', import.meta.url).pathname;

// Every process of this file keeps its PGlite data in a folder of its own under this one, never in the
// app's .data/; DATABASE_URL is removed so a CI server's database is never touched from here.
let dataRoot: string;
let dataDirs = 0;
beforeAll(async () => {
  dataRoot = await mkdtemp(join(tmpdir(), 'plinth-reference-main-'));
});
afterAll(() => rm(dataRoot, { recursive: true, force: true }));
const freshDataDir = () => join(dataRoot, `data-${++dataDirs}`);

// REDIS_URL is removed too: these processes run on the embedded defaults. Production needs JWT_SECRET.
function appEnvironment(env: Record<string, string>): NodeJS.ProcessEnv {
  const { DATABASE_URL: _database, REDIS_URL: _redis, ...inherited } = process.env;
  return { ...inherited, DATA_DIR: freshDataDir(), JWT_SECRET: 'a-test-secret-of-32-bytes-or-more!', ...env };
}

interface Started {
  child: ChildProcess;
  url: string;
  lines: Record<string, unknown>[];
}

async function start(env: Record<string, string> = {}): Promise<Started> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: appDir,
    env: appEnvironment({ PORT: '0', HOST: '127.0.0.1', NODE_ENV: 'production', LOG_LEVEL: 'info', ...env }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: Record<string, unknown>[] = [];
  let stderr = '';
  child.stderr?.on('data', (chunk) => {
    stderr += chunk;
  });
  const url = await new Promise<string>((resolve, reject) => {
    // PGlite starts in ~8 s on a quiet machine; migrations, the demo seed (one scrypt hash) and the live
    // module add a few more, and a machine running other test files at once (load 12 on 2 cores) can
    // take several times that.
    const timer = setTimeout(
      () => reject(new Error(`the app did not start within 150 s:\n${stderr}`)),
      150_000,
    );
    child.once('exit', (code) =>
      reject(new Error(`the app exited with ${code} before listening:\n${stderr}`)),
    );
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const entry = JSON.parse(line) as Record<string, unknown>;
      lines.push(entry);
      if (entry.msg === 'reference app listening') {
        clearTimeout(timer);
        resolve(String(entry.url));
      }
    });
  });
  return { child, url, lines };
}

/** Waits (at most 10 s) until the app has written a log line with this message. */
async function logged(app: Started, message: string): Promise<void> {
  for (let waited = 0; waited < 10_000; waited += 20) {
    if (app.lines.some((line) => line.msg === message)) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`the app did not log "${message}" within 10 s`);
}

/**
 * One GET on the agent's connection: the status, or 'refused' when a connection opened after `since`
 * was refused or reset before an answer (the listener had closed), or the error code otherwise.
 */
function get(agent: Agent, url: string, since: () => number): Promise<number | 'refused' | string> {
  return new Promise((resolve) => {
    const sent = Date.now();
    const req = httpRequest(url, { agent, timeout: 10_000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', (error: NodeJS.ErrnoException) => resolve(`response ${error.code ?? error.message}`));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (error: NodeJS.ErrnoException) => {
      // A fresh connection opened after the signal, refused or reset by the kernel's accept queue as
      // the listener closed, never reached the app: that is a refused new connection.
      const fresh = !req.reusedSocket && sent >= since();
      const refused = error.code === 'ECONNREFUSED' || (fresh && error.code === 'ECONNRESET');
      resolve(refused ? 'refused' : `request ${error.code ?? error.message} (reused: ${req.reusedSocket})`);
    });
    req.end();
  });
}

let running: ChildProcess | undefined;
afterEach(() => {
  if (running && running.exitCode === null) running.kill('SIGKILL');
});

/** Starts the app expecting it to stop by itself: its exit code and everything it wrote. */
async function failedStart(env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: appDir,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running = child;
  let output = '';
  child.stdout.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr.on('data', (chunk) => {
    output += chunk;
  });
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, output };
}

// Each test starts one or two processes: bounded by the start timeout above, not vitest's default.
describe('reference app process', { timeout: 400_000 }, () => {
  it('serves / as JSON and a miss as problem+json on embedded defaults, and says where to start', async () => {
    const app = await start();
    running = app.child;
    await logged(app, 'reference app ready');
    expect(app.lines.find((line) => line.msg === 'reference app ready')).toMatchObject({
      docs: `${app.url}/docs`,
      board: `${app.url}/board`,
      demo: expect.stringContaining('owner@example.com / plinth-demo'),
    });
    const root = await fetch(`${app.url}/`);
    expect(root.status).toBe(200);
    expect(await root.json()).toMatchObject({ name: 'plinth-reference' });
    const miss = await fetch(`${app.url}/missing`);
    expect(miss.status).toBe(404);
    expect(miss.headers.get('content-type')).toBe('application/problem+json');
    expect((await fetch(`${app.url}/readyz`)).status).toBe(200);
  });

  it('on SIGTERM turns not-ready at once, still serves during the readiness delay, then exits 0', async () => {
    // A long delay, so both requests below are answered inside it even on a loaded CI machine. (The
    // drain of requests in flight when the listener closes is tested in @plinth/deploy.)
    const app = await start({ READINESS_DELAY: '2s' });
    running = app.child;
    const exited = once(app.child, 'exit');
    app.child.kill('SIGTERM');
    await logged(app, 'shutdown: readiness fails from now on');
    const ready = await fetch(`${app.url}/readyz`, { headers: { connection: 'close' } });
    expect(ready.status).toBe(503);
    const served = await fetch(`${app.url}/`, { headers: { connection: 'close' } });
    expect(served.status).toBe(200);
    const [code] = await exited;
    expect(code).toBe(0);
    expect(app.lines.some((line) => line.msg === 'shutdown: complete')).toBe(true);
  });

  it('drains 20 keep-alive clients on SIGTERM with no error on a connection opened before the signal', async () => {
    const app = await start({ READINESS_DELAY: '500ms', SHUTDOWN_TIMEOUT: '10s' });
    running = app.child;
    const exited = once(app.child, 'exit');
    const outcome = { answered: 0, refused: 0, errors: [] as string[] };
    let stop = false;
    let signalled = Number.POSITIVE_INFINITY;
    let connected = 0;
    let allConnected: () => void = () => {};
    const ready = new Promise<void>((resolve) => {
      allConnected = resolve;
    });
    // Each client is one keep-alive connection (maxSockets 1), reused until the server says close.
    const client = async () => {
      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      try {
        for (let sent = 0; !stop && sent < 2000; sent++) {
          const result = await get(agent, `${app.url}/`, () => signalled);
          if (sent === 0 && ++connected === 20) allConnected();
          if (result === 'refused') {
            outcome.refused++;
            return; // the listener has closed: this client is done
          }
          if (result === 200) outcome.answered++;
          else outcome.errors.push(String(result));
        }
      } finally {
        agent.destroy();
      }
    };
    const clients = Array.from({ length: 20 }, client);
    // The signal comes once the server has accepted and answered every client's connection (on a loaded
    // machine a connection can still wait in the kernel's accept queue after 300 ms), then a little later.
    await ready;
    await new Promise((resolve) => setTimeout(resolve, 200));
    signalled = Date.now();
    app.child.kill('SIGTERM');
    const [code] = await exited;
    stop = true;
    await Promise.all(clients);
    expect(code).toBe(0);
    expect(outcome.errors).toEqual([]);
    expect(outcome.answered).toBeGreaterThan(20);
  });

  it('refuses to start with a clear message when the configuration is invalid', async () => {
    const { code, output } = await failedStart(
      appEnvironment({ PORT: 'eighty', LOG_LEVEL: 'loud', DATABASE_URL: 'mysql://db.internal/app' }),
    );
    expect(code).not.toBe(0);
    expect(output).toMatch(/PORT/);
    expect(output).toMatch(/LOG_LEVEL/);
    expect(output).toMatch(/DATABASE_URL/);
    expect(output).not.toMatch(/db\.internal/);
  });

  it('refuses to serve when the database at DATABASE_URL cannot be reached, saying which', async () => {
    const { code, output } = await failedStart(
      appEnvironment({ PORT: '0', DATABASE_URL: 'postgres://app:hunter22@127.0.0.1:1/app' }),
    );
    expect(code).toBe(1);
    expect(output).toMatch(/the database could not be opened/);
    expect(output).toMatch(/127\.0\.0\.1:1/);
    expect(output).not.toMatch(/hunter22/);
    expect(output).not.toMatch(/reference app listening/);
  });

  it('refuses to start in production without JWT_SECRET, saying what to set', async () => {
    const { JWT_SECRET: _unset, ...env } = appEnvironment({ PORT: '0', NODE_ENV: 'production' });
    const { code, output } = await failedStart(env);
    expect(code).toBe(1);
    expect(output).toMatch(/JWT_SECRET is required in production/);
    expect(output).not.toMatch(/reference app listening/);
  });

  it('keeps its data in DATA_DIR across restarts and seeds the demo data on the first start only', async () => {
    const dataDir = freshDataDir();
    const first = await start({ DATA_DIR: dataDir });
    running = first.child;
    const signup = await fetch(`${first.url}/auth/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Grace Hopper', email: 'grace@example.com', password: 'cobol-forever' }),
    });
    expect(signup.status).toBe(201);
    expect(first.lines.some((line) => line.msg === 'migration applied')).toBe(true);
    expect(first.lines.some((line) => line.msg === 'demo data seeded')).toBe(true);
    const exited = once(first.child, 'exit');
    first.child.kill('SIGTERM');
    expect((await exited)[0]).toBe(0);

    const second = await start({ DATA_DIR: dataDir });
    running = second.child;
    const login = (email: string, password: string) =>
      fetch(`${second.url}/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, password }),
      });
    expect((await login('grace@example.com', 'cobol-forever')).status).toBe(200);
    const owner = (await (await login('owner@example.com', 'plinth-demo')).json()) as { accessToken: string };
    const teams = await fetch(`${second.url}/teams`, {
      headers: { authorization: `Bearer ${owner.accessToken}` },
    });
    expect(await teams.json()).toEqual([expect.objectContaining({ name: 'Demo team', role: 'owner' })]);
    expect(second.lines.some((line) => line.msg === 'migration applied')).toBe(false);
    expect(second.lines.some((line) => line.msg === 'demo data seeded')).toBe(false);
  });
});
