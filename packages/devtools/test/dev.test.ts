// `plinth-devtools dev`: the app restarts when a file it imports changes, on the same port, and prints
// its route table at each start. Run on a copy of the fixture so the test can edit it.
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';

const packageDir = new URL('..', import.meta.url).pathname;
const work = mkdtempSync(join(packageDir, 'test/fixtures/.dev-'));
cpSync(join(packageDir, 'test/fixtures/dev-app'), work, { recursive: true });
afterAll(() => rmSync(work, { recursive: true, force: true }));

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('plinth-devtools dev', () => {
  it('restarts on change keeping the port, printing the route table each time', async () => {
    const port = await freePort();
    const env: Record<string, string | undefined> = { ...process.env, PORT: String(port) };
    delete env.NODE_ENV; // vitest sets "test"; dev sets "development" when none is given
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'dev', join(work, 'server.ts')], {
      cwd: packageDir,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += String(chunk);
    });
    child.stderr.on('data', (chunk) => {
      output += String(chunk);
    });
    const ask = async () => {
      const response = await fetch(`http://127.0.0.1:${port}/message`);
      return (await response.json()) as { message: string; pid: number; env: string };
    };
    try {
      const first = await vi.waitFor(ask, { timeout: 20_000, interval: 200 });
      expect(first.message).toBe('first');
      expect(first.env).toBe('development');
      expect(output).toMatch(/METHOD\s+PATH\s+SUMMARY\nGET\s+\/message\s+The current message/);

      writeFileSync(join(work, 'message.mjs'), "export const message = 'second';\n");
      const second = await vi.waitFor(
        async () => {
          const answer = await ask();
          if (answer.message !== 'second') throw new Error(`still ${answer.message}`);
          return answer;
        },
        { timeout: 20_000, interval: 200 },
      );
      expect(second.pid).not.toBe(first.pid); // a new process, on the same port
      expect(output.match(/METHOD\s+PATH/g)!.length).toBeGreaterThanOrEqual(2);
    } finally {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
  });
});
