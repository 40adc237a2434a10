// The generated Dockerfile's build stage, run for real (no Docker engine here): in a copy of a small
// workspace, its RUN lines install, build and `pnpm deploy --prod`; the runtime CMD then starts from
// the deployed folder and the HEALTHCHECK command passes against it.
import { execFile, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli.js';
import { execForm, runCommands } from './support/dockerfile-text.js';
import { writeFixtureWorkspace } from './support/fixture-workspace.js';

const exec = promisify(execFile);
const pnpmVersion = (await exec('pnpm', ['--version'])).stdout.trim();
const source = writeFixtureWorkspace(pnpmVersion);
const context = mkdtempSync(join(tmpdir(), 'plinth-deploy-context-'));
const output = join(mkdtempSync(join(tmpdir(), 'plinth-deploy-out-')), 'app');
afterAll(() => {
  for (const dir of [source, context, join(output, '..')]) rmSync(dir, { recursive: true, force: true });
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

describe('pnpm deploy --prod of a workspace app, as the Dockerfile runs it', () => {
  it('produces a folder that starts with the CMD and passes the HEALTHCHECK', {
    timeout: 180_000,
  }, async () => {
    // The developer's side: a lockfile, then the generated files.
    await exec('pnpm', ['install', '--prefer-offline'], { cwd: source, timeout: 120_000 });
    expect(main(['dockerfile', '--app', 'apps/app'], source)).toBe(0);
    expect(main(['dockerignore'], source)).toBe(0);
    const dockerfile = readFileSync(join(source, 'apps/app/Dockerfile'), 'utf8');

    // The build context, as .dockerignore leaves it: no node_modules, no dist.
    cpSync(source, context, { recursive: true, filter: (path) => !/[\\/](node_modules|dist)$/.test(path) });
    // The base stage only installs the pinned pnpm, which this machine already runs.
    expect(runCommands(dockerfile, 'base')).toEqual([`npm install --global pnpm@${pnpmVersion}`]);
    const commands = runCommands(dockerfile, 'build');
    expect(commands).toHaveLength(4);
    for (const command of commands) {
      const local = command.replace('/prod/app', output);
      await exec('sh', ['-c', local], {
        cwd: context,
        timeout: 120_000,
        env: { ...process.env, npm_config_prefer_offline: 'true' },
      });
    }

    // Production dependencies only: the built workspace library and its registry dependency, no dev tool.
    expect(existsSync(join(output, 'node_modules/@fx/lib/dist/index.js'))).toBe(true);
    expect(existsSync(join(output, 'node_modules/@fx/devtool'))).toBe(false);
    expect(existsSync(join(output, 'src/main.js'))).toBe(true);

    const port = await freePort();
    const [command, ...args] = execForm(dockerfile, 'CMD');
    const app = spawn(command!, args, {
      cwd: output,
      env: { ...process.env, PORT: String(port), NODE_ENV: 'production' },
    });
    try {
      const lines = createInterface({ input: app.stdout })[Symbol.asyncIterator]();
      expect((await lines.next()).value).toBe('listening');
      const [probe, ...probeArgs] = execForm(dockerfile, 'HEALTHCHECK');
      const result = await exec(probe!, probeArgs, { env: { ...process.env, PORT: String(port) } }).then(
        () => 0,
        (error: { code: number }) => error.code,
      );
      expect(result).toBe(0);
    } finally {
      app.kill('SIGTERM');
    }
  });
});
