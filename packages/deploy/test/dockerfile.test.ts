// The generated Dockerfile and .dockerignore, the CLI that writes them, and the HEALTHCHECK run for real.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../src/cli.js';
import { createHealth, renderDockerfile, renderDockerignore } from '../src/index.js';
import { healthHandler } from '../src/node.js';
import { execForm } from './support/dockerfile-text.js';

const run = promisify(execFile);
const cli = fileURLToPath(new URL('../src/cli.ts', import.meta.url));
// The children run in temp folders, where a bare `--import tsx` would not resolve.
const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

function workspace(app: Record<string, unknown> | undefined, extra: Record<string, string> = {}): string {
  const root = mkdtempSync(join(tmpdir(), 'plinth-cli-'));
  writeFileSync(
    join(root, 'package.json'),
    JSON.stringify({ name: 'root', private: true, packageManager: 'pnpm@10.34.0' }),
  );
  writeFileSync(join(root, 'pnpm-workspace.yaml'), 'packages:\n  - apps/*\n');
  mkdirSync(join(root, 'apps/api'), { recursive: true });
  if (app !== undefined) writeFileSync(join(root, 'apps/api/package.json'), JSON.stringify(app));
  for (const [path, content] of Object.entries(extra)) writeFileSync(join(root, path), content);
  return root;
}

describe('renderDockerfile', () => {
  const text = renderDockerfile({
    name: '@acme/api',
    appDir: 'apps/api',
    command: ['node', 'dist/main.js'],
    pnpmVersion: '10.34.0',
    port: 8080,
  });

  it('has a build stage that installs, builds and runs pnpm deploy --prod, and a slim runtime stage', () => {
    const slim = 'FROM node:$' + '{NODE_VERSION}-bookworm-slim';
    expect(text.match(/^FROM .*$/gm)).toEqual([
      `${slim} AS base`,
      'FROM base AS build',
      `${slim} AS runtime`,
    ]);
    expect(text).toContain('ARG NODE_VERSION=20');
    expect(text).toContain('RUN npm install --global pnpm@10.34.0');
    expect(text).toContain('pnpm install --frozen-lockfile --offline');
    expect(text).toContain('RUN pnpm --filter "@acme/api..." run --if-present build');
    expect(text).toContain(
      'RUN pnpm --filter "@acme/api" --config.inject-workspace-packages=true deploy --prod /prod/app',
    );
    expect(text).toContain('COPY --from=build --chown=node:node /prod/app ./');
  });

  it('runs as the non-root node user with NODE_ENV=production, the port exposed and an exec-form CMD', () => {
    const runtime = text.slice(text.indexOf('AS runtime'));
    expect(runtime).toMatch(/^USER node$/m);
    expect(runtime).toMatch(/^ENV NODE_ENV=production$/m);
    expect(runtime).toMatch(/^ENV PORT=8080$/m);
    expect(runtime).toMatch(/^EXPOSE 8080$/m);
    expect(execForm(text, 'CMD')).toEqual(['node', 'dist/main.js']);
    expect(runtime.indexOf('USER node')).toBeLessThan(runtime.indexOf('CMD '));
  });

  it('checks health with node, not curl', () => {
    expect(text).toMatch(/^HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \\$/m);
    const command = execForm(text, 'HEALTHCHECK');
    expect(command.slice(0, 2)).toEqual(['node', '-e']);
    expect(command[2]).toBe(
      "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/livez').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))",
    );
    expect(text).not.toContain('curl');
  });

  it('runs under tini when asked', () => {
    const withTini = renderDockerfile({
      name: 'api',
      appDir: 'apps/api',
      command: ['node', 'main.js'],
      tini: true,
    });
    expect(withTini).toContain('apt-get install -y --no-install-recommends tini');
    expect(withTini).toMatch(/^ENTRYPOINT \["\/usr\/bin\/tini", "--"\]$/m);
  });

  it.each([
    ['a port out of range', { port: 70000 }],
    ['a node version with a space', { nodeVersion: '20 AS evil' }],
    ['a health path with a quote', { healthPath: "/livez'" }],
  ])('rejects %s', (_, options) => {
    expect(() =>
      renderDockerfile({ name: 'api', appDir: 'apps/api', command: ['node', 'x.js'], ...options }),
    ).toThrowError(expect.objectContaining({ code: 'ERR_DEPLOY_INVALID_OPTION' }));
  });
});

describe('renderDockerignore', () => {
  it('keeps dependencies, build output, env files and git history out of the context', () => {
    const lines = renderDockerignore().split('\n');
    for (const entry of ['**/node_modules', '**/dist', '**/.env', '**/.env.*', '!**/.env.example', '.git']) {
      expect(lines).toContain(entry);
    }
  });
});

describe('plinth-deploy CLI', () => {
  it('writes <app>/Dockerfile from the app name and start script, with the root pnpm version', async () => {
    const root = workspace({
      name: '@acme/api',
      scripts: { start: 'node --enable-source-maps dist/main.js' },
    });
    const { stdout } = await run(
      process.execPath,
      ['--import', tsx, cli, 'dockerfile', '--app', 'apps/api', '--port', '4000', '--node', '22'],
      { cwd: root },
    );
    expect(stdout).toContain('wrote apps/api/Dockerfile');
    const text = readFileSync(join(root, 'apps/api/Dockerfile'), 'utf8');
    expect(text).toContain('--filter "@acme/api"');
    expect(text).toContain('pnpm@10.34.0');
    expect(text).toContain('ARG NODE_VERSION=22');
    expect(text).toMatch(/^EXPOSE 4000$/m);
    expect(execForm(text, 'CMD')).toEqual(['node', '--enable-source-maps', 'dist/main.js']);
  });

  it('writes the root .dockerignore, and --out elsewhere', () => {
    const root = workspace({ name: 'api', scripts: { start: 'node main.js' } });
    expect(main(['dockerignore'], root)).toBe(0);
    expect(readFileSync(join(root, '.dockerignore'), 'utf8')).toBe(renderDockerignore());
    expect(
      main(['dockerfile', '--app', 'apps/api', '--out', 'Dockerfile.api', '--cmd', 'node server.js'], root),
    ).toBe(0);
    expect(execForm(readFileSync(join(root, 'Dockerfile.api'), 'utf8'), 'CMD')).toEqual([
      'node',
      'server.js',
    ]);
  });

  it('copies the root .npmrc with the lockfile when there is one', () => {
    const root = workspace(
      { name: 'api', scripts: { start: 'node main.js' } },
      { '.npmrc': 'registry=https://registry.npmjs.org/\n' },
    );
    expect(main(['dockerfile', '--app', 'apps/api'], root)).toBe(0);
    expect(readFileSync(join(root, 'apps/api/Dockerfile'), 'utf8')).toContain(
      'COPY pnpm-lock.yaml pnpm-workspace.yaml .npmrc ./',
    );
  });

  it.each([
    ['a folder without package.json', undefined, ['--app', 'apps/api'], 'ERR_DEPLOY_APP_NOT_FOUND'],
    ['no --app', { name: 'api' }, [], 'ERR_DEPLOY_APP_NOT_FOUND'],
    ['an app without a start script', { name: 'api' }, ['--app', 'apps/api'], 'ERR_DEPLOY_START_SCRIPT'],
    [
      'a start script with shell syntax',
      { name: 'api', scripts: { start: 'pnpm build && node dist/main.js' } },
      ['--app', 'apps/api'],
      'ERR_DEPLOY_START_SCRIPT',
    ],
    [
      'a start script that sets env',
      { name: 'api', scripts: { start: 'NODE_ENV=production node main.js' } },
      ['--app', 'apps/api'],
      'ERR_DEPLOY_START_SCRIPT',
    ],
    [
      'a port that is not a number',
      { name: 'api', scripts: { start: 'node main.js' } },
      ['--app', 'apps/api', '--port', 'http'],
      'ERR_DEPLOY_INVALID_OPTION',
    ],
  ])('fails with a message naming the fix for %s', async (_, app, args, code) => {
    const root = workspace(app);
    const error = await run(process.execPath, ['--import', tsx, cli, 'dockerfile', ...args], {
      cwd: root,
    }).catch((caught: { code: number; stderr: string }) => caught);
    expect(error).toMatchObject({ code: 1 });
    expect((error as { stderr: string }).stderr).toContain(code);
  });

  it('prints usage and exits 2 for an unknown command or option', async () => {
    const root = workspace({ name: 'api' });
    expect(main(['deploy-it'], root)).toBe(2);
    expect(main(['dockerfile', '--nope'], root)).toBe(2);
  });
});

describe('the HEALTHCHECK command', () => {
  let server: Server | undefined;
  afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

  const command = execForm(
    renderDockerfile({ name: 'api', appDir: 'apps/api', command: ['node', 'x.js'] }),
    'HEALTHCHECK',
  );
  const probe = (port: number) =>
    run(command[0]!, command.slice(1), { env: { ...process.env, PORT: String(port) } }).then(
      () => 0,
      (error: { code: number }) => error.code,
    );

  async function start(live: boolean): Promise<number> {
    const health = createHealth({
      checks: [
        {
          name: 'loop',
          kinds: ['liveness'],
          run: () => {
            if (!live) throw new Error('stuck');
          },
        },
      ],
    });
    server = createServer(healthHandler(health));
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    return (server.address() as AddressInfo).port;
  }

  it('exits 0 against a live server', async () => {
    expect(await probe(await start(true))).toBe(0);
  });

  it('exits 1 when liveness fails', async () => {
    expect(await probe(await start(false))).toBe(1);
  });

  it('exits 1 when nothing listens', async () => {
    const port = await start(true);
    await new Promise<void>((resolve) => server!.close(() => resolve()));
    server = undefined;
    expect(await probe(port)).toBe(1);
  });
});
