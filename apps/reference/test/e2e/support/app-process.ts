// The reference app as a real process for the end-to-end tests: started from source (tsx) or from
// dist/, its JSON log lines collected, its URL read from the "listening" line, stopped with SIGTERM.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Inbox } from './live-clients.js';

export const appDir = fileURLToPath(new URL('../../..', import.meta.url));

/** A node process whose JSON log lines are collected. */
export interface NodeProcess {
  readonly child: ChildProcess;
  readonly lines: Inbox<Record<string, unknown>>;
  /** SIGTERM, then the exit code (SIGKILL after 20 s). */
  stop(): Promise<number | null>;
  /** Its last 12 stdout lines and the end of its stderr, for an assertion's message. */
  output(): string;
}

/** A started app process. */
export interface AppProcess extends NodeProcess {
  readonly url: string;
}

/** Runs `entry` (a .ts file through tsx, or a .js file) in the app's folder with exactly `env`. */
export function spawnNode(entry: string, env: NodeJS.ProcessEnv): NodeProcess {
  const args = entry.endsWith('.ts') ? ['--import', 'tsx', entry] : [entry];
  const child = spawn(process.execPath, args, { cwd: appDir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines = new Inbox<Record<string, unknown>>();
  let stdout = '';
  let stderr = '';
  const recent: string[] = [];
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    for (let end = stdout.indexOf('\n'); end !== -1; end = stdout.indexOf('\n')) {
      const line = stdout.slice(0, end);
      stdout = stdout.slice(end + 1);
      if (recent.push(line) > 12) recent.shift();
      if (line.startsWith('{')) lines.push(JSON.parse(line) as Record<string, unknown>);
    }
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const exited = once(child, 'exit');
  // 'close', not 'exit': by then stderr has been read to its end.
  child.once('close', (code) =>
    lines.end(new Error(`${entry} exited with ${code}:\n${stderr.slice(-2000)}`)),
  );
  return {
    child,
    lines,
    async stop() {
      if (child.exitCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      const [code] = (await exited) as [number | null];
      clearTimeout(timer);
      return code;
    },
    output: () => `${entry}'s last stdout lines:\n${recent.join('\n')}\nits stderr:\n${stderr.slice(-2000)}`,
  };
}

/**
 * Starts `entry` (a .ts file through tsx, e.g. `src/main.ts`, or `dist/main.js`) with `env` on a free
 * loopback port; `PLINTH_E2E_ENTRY` replaces the entry (to try a wiring before it lands in main.ts).
 * DATABASE_URL and REDIS_URL are not inherited: pass them to use them.
 */
export async function startApp(entry: string, env: Record<string, string>): Promise<AppProcess> {
  const { DATABASE_URL: _database, REDIS_URL: _redis, ...inherited } = process.env;
  const started = spawnNode(process.env.PLINTH_E2E_ENTRY ?? entry, {
    ...inherited,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'info',
    ...env,
  });
  try {
    // PGlite starts in ~8 s on a quiet machine, up to 25 s under parallel test load.
    const listening = await started.lines.next(
      'the "listening" log line',
      (entry) => typeof entry.url === 'string' && String(entry.msg).includes('listening'),
      90_000,
    );
    return { ...started, url: String(listening.url).replace('localhost', '127.0.0.1') };
  } catch (error) {
    await started.stop();
    throw error;
  }
}

/** Starts the worker process (dist/worker.js once built, else src/worker.ts) and waits until it runs. */
export async function startWorker(env: Record<string, string>): Promise<NodeProcess> {
  const entry = existsSync(join(appDir, 'dist/worker.js')) ? 'dist/worker.js' : 'src/worker.ts';
  const worker = spawnNode(entry, { ...process.env, LOG_LEVEL: 'info', ...env });
  try {
    await worker.lines.next(
      'the "worker running" log line',
      (line) => line.msg === 'reference worker running',
      60_000,
    );
    return worker;
  } catch (error) {
    await worker.stop();
    throw error;
  }
}

/** Logs in through the API; the access token and the user's first team. */
export async function apiLogin(url: string, email: string, password = 'plinth-demo') {
  const response = await fetch(`${url}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (response.status !== 200)
    throw new Error(`POST /auth/login answered ${response.status}: ${await response.text()}`);
  const { accessToken } = (await response.json()) as { accessToken: string };
  const headers = { authorization: `Bearer ${accessToken}`, accept: 'application/json' };
  const me = (await (await fetch(`${url}/me`, { headers })).json()) as {
    id: string;
    teams: Array<{ id: string; name: string; role: string }>;
  };
  const team = me.teams[0];
  if (!team) throw new Error(`${email} is in no team: was the demo data seeded?`);
  return { accessToken, headers, me, teamId: team.id };
}

/** JSON through the API with a token; throws with the problem body on any non-2xx answer. */
export async function apiJson<T>(
  url: string,
  token: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<T> {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      accept: 'application/json',
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!response.ok)
    throw new Error(`${method} ${path} answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as T;
}
