// Test scaffolding: run a fixture in a real child Node process (through tsx) with a bounded wait.
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** A running fixture: its process, its stdout so far, and its exit. */
export interface Child {
  process: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
  /** Resolves with the first stdout line that parses as JSON and has `key`. */
  waitFor: (key: string, timeoutMs?: number) => Promise<Record<string, unknown>>;
}

/** Starts `test/fixtures/<name>` with `args`, `nodeArgs` (after tsx's) and `env`; killed if it outlives `timeoutMs`. */
export function startFixture(
  name: string,
  options: { args?: string[]; nodeArgs?: string[]; env?: Record<string, string>; timeoutMs?: number } = {},
): Child {
  const file = fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', ...(options.nodeArgs ?? []), file, ...(options.args ?? [])],
    {
      cwd: fileURLToPath(new URL('..', import.meta.url)),
      env: { ...process.env, LOG_LEVEL: 'info', NODE_ENV: 'test', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    err += chunk.toString();
  });
  const killer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 20_000);
  const exited = new Promise<number | null>((resolve) => {
    child.on('exit', (code) => {
      clearTimeout(killer);
      resolve(code);
    });
  });
  const waitFor = async (key: string, timeoutMs = 15_000) => {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      for (const line of parseLines(out)) if (key in line) return line;
      if (child.exitCode !== null) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error(`fixture ${name} printed no line with "${key}"; stdout: ${out} stderr: ${err}`);
  };
  return { process: child, stdout: () => out, stderr: () => err, exited, waitFor };
}

/** The stdout lines that are JSON objects. */
export function parseLines(text: string): Record<string, unknown>[] {
  return text
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}
