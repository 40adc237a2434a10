// The built app as a real process (`node dist/main.js`, built here by the app's own tsup config into a
// folder of its own): it listens on PORT, and on SIGTERM it fails readiness, finishes the request in
// flight and exits 0. Both examples run it (test/main.test.ts) against their own app folder.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { Agent, type IncomingMessage, request } from 'node:http';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';

const PASSWORD = 'a demo password for this test';

interface Line {
  msg?: string;
  url?: string;
}

function send(agent: Agent, url: string, init: { method?: string; headers?: Record<string, string> }) {
  const outgoing = request(url, { agent, ...init });
  const response = new Promise<{ res: IncomingMessage; body: string }>((resolve, reject) => {
    outgoing.on('response', (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve({ res, body }));
    });
    outgoing.on('error', reject);
  });
  return { outgoing, response };
}

/** The process test of the app in `appDir` (the folder with its package.json and tsup config). */
export function describeMainProcess(appDir: string): void {
  const outDir = join(appDir, 'node_modules/.cache/main-test');
  let child: ChildProcess | undefined;

  beforeAll(() => {
    const tsup = join(createRequire(import.meta.url).resolve('tsup/package.json'), '../dist/cli-default.js');
    execFileSync(process.execPath, [tsup, '--out-dir', outDir], { cwd: appDir, stdio: 'pipe' });
  });
  afterEach(() => {
    if (child?.exitCode === null) child.kill('SIGKILL');
  });

  describe('node dist/main.js', () => {
    it('on SIGTERM fails readiness, finishes the request in flight, then exits 0', async () => {
      child = spawn(process.execPath, [join(outDir, 'main.js')], {
        cwd: appDir,
        env: { ...process.env, PORT: '0', HOST: '127.0.0.1', NODE_ENV: 'test', DEMO_PASSWORD: PASSWORD },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      const lines: Line[] = [];
      const logged = (msg: string) =>
        new Promise<Line>((resolve, reject) => {
          const found = lines.find((line) => line.msg === msg);
          if (found) return resolve(found);
          const timer = setTimeout(() => reject(new Error(`no "${msg}" line within 30 s`)), 30_000);
          output.on('line', function watch() {
            const line = lines.find((entry) => entry.msg === msg);
            if (line === undefined) return;
            clearTimeout(timer);
            output.off('line', watch);
            resolve(line);
          });
        });
      const output = createInterface({ input: child.stdout! });
      output.on('line', (line) => lines.push(JSON.parse(line) as Line));
      const exited = once(child, 'exit');
      const { url } = await logged('notes API listening');

      // One keep-alive connection: log in, then start a POST whose body is not all sent yet.
      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      const login = send(agent, `${url}/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
      });
      login.outgoing.end(JSON.stringify({ username: 'ada', password: PASSWORD }));
      const { accessToken } = JSON.parse((await login.response).body) as { accessToken: string };

      // Expect: 100-continue: once the 100 arrives the app has the request in hand, its body still to come.
      const create = send(agent, `${url}/notes`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${accessToken}`,
          'content-type': 'application/json',
          expect: '100-continue',
        },
      });
      create.outgoing.flushHeaders();
      await once(create.outgoing, 'continue');

      child.kill('SIGTERM');
      await logged('shutdown: readiness fails from now on');
      create.outgoing.end(JSON.stringify({ title: 'written during shutdown' }));
      const { res, body: answer } = await create.response;
      expect(res.statusCode).toBe(201);
      expect(res.headers.connection).toBe('close');
      expect(JSON.parse(answer)).toMatchObject({ title: 'written during shutdown' });

      const [code] = await exited;
      expect(code).toBe(0);
      expect(lines.map((line) => line.msg)).toContain('shutdown: complete');
      agent.destroy();
    });
  });
}
