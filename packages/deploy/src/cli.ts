#!/usr/bin/env node
// plinth-deploy: writes the production Dockerfile of a workspace app, the root .dockerignore, and the
// GitHub Actions workflows (CI and release).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { type RootManifest, writeCiFiles } from './cli-ci.js';
import { renderDockerfile } from './dockerfile.js';
import { renderDockerignore } from './dockerignore.js';
import { DeployError } from './errors.js';
import { parseStartCommand } from './start-command.js';

const usage = `Usage:
  plinth-deploy dockerfile --app <dir> [--out <file>] [--node 20] [--port 3000] [--health-path /livez] [--cmd "<command>"] [--tini]
  plinth-deploy dockerignore [--out <file>]
  plinth-deploy ci [--node 20,22,24] [--test-command "pnpm test"] [--dockerfile <path>] [--env NAME=value] [--out <dir>] [--force] [--pin-sha]

  --app          the app's folder, relative to the workspace root (e.g. apps/reference)
  --out          where to write (default <app>/Dockerfile, or .dockerignore at the root)
  --node         Node.js version of the node:<v>-bookworm-slim images (default 20)
  --port         the port the app listens on (default 3000)
  --health-path  the path the HEALTHCHECK probes (default /livez)
  --cmd          the start command, instead of the app's "start" script
  --tini         install tini in the image and run under it
  --root         the workspace root (default: nearest folder with pnpm-workspace.yaml)

  ci writes ci.yml (tests on each Node.js version with PostgreSQL and Redis, image build) and
  release.yml (changesets version PR, npm publish with provenance) into --out
  (default .github/workflows); it never overwrites either without --force.
  --node          comma-separated Node.js versions of the test matrix (default 20,22,24)
  --test-command  the command that runs the tests (default "pnpm test")
  --dockerfile    the Dockerfile the image job builds, relative to the workspace root
                  (default ./Dockerfile if present, else no image job)
  --env           NAME=value for the test job, repeatable (DATABASE_URL and REDIS_URL are set)
  --force         overwrite existing workflow files
  --pin-sha       pin each action to a release's full commit SHA rather than its major tag
`;

/** Runs the CLI with `argv` (without node and script); returns the exit code. */
export function main(argv: readonly string[], cwd = process.cwd()): number {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    process.stderr.write(`plinth-deploy: ${(error as Error).message}\n\n${usage}`);
    return 2;
  }
  const { positionals, values } = parsed;
  if (values.help || positionals.length === 0) {
    process.stdout.write(usage);
    return values.help ? 0 : 2;
  }
  try {
    const root = resolve(cwd, values.root ?? findWorkspaceRoot(cwd));
    if (positionals[0] === 'dockerignore') {
      const out = resolve(cwd, values.out ?? join(root, '.dockerignore'));
      writeFileSync(out, renderDockerignore());
      process.stdout.write(`plinth-deploy: wrote ${relative(cwd, out) || out}\n`);
      return 0;
    }
    if (positionals[0] === 'ci') {
      const manifest = readJson(join(root, 'package.json')) as RootManifest;
      for (const path of writeCiFiles(root, cwd, manifest, values))
        process.stdout.write(`plinth-deploy: wrote ${relative(cwd, path) || path}\n`);
      return 0;
    }
    if (positionals[0] !== 'dockerfile') {
      process.stderr.write(`plinth-deploy: unknown command "${positionals[0]}"\n\n${usage}`);
      return 2;
    }
    if (values.app === undefined)
      throw new DeployError(
        'ERR_DEPLOY_APP_NOT_FOUND',
        'Pass --app <dir>, the app folder relative to the workspace root.',
      );
    const appDir = resolve(root, values.app);
    const manifestPath = join(appDir, 'package.json');
    if (!existsSync(manifestPath)) {
      throw new DeployError(
        'ERR_DEPLOY_APP_NOT_FOUND',
        `No package.json in ${relative(cwd, appDir) || appDir}; --app must name a workspace app folder.`,
      );
    }
    const manifest = readJson(manifestPath) as { name?: unknown; scripts?: Record<string, unknown> };
    if (typeof manifest.name !== 'string' || manifest.name === '') {
      throw new DeployError(
        'ERR_DEPLOY_APP_NOT_FOUND',
        `${manifestPath} has no "name"; pnpm --filter needs one.`,
      );
    }
    const script = values.cmd ?? manifest.scripts?.start;
    if (typeof script !== 'string') {
      throw new DeployError(
        'ERR_DEPLOY_START_SCRIPT',
        `${manifest.name} has no "start" script; add one (e.g. "node dist/main.js") or pass --cmd.`,
      );
    }
    const rootManifest = readJson(join(root, 'package.json')) as { packageManager?: unknown };
    const pnpmVersion =
      typeof rootManifest.packageManager === 'string' && rootManifest.packageManager.startsWith('pnpm@')
        ? rootManifest.packageManager.slice(5).split('+')[0]
        : undefined;
    const port = values.port === undefined ? undefined : Number(values.port);
    const text = renderDockerfile({
      name: manifest.name,
      appDir: relative(root, appDir).split('\\').join('/'),
      command: parseStartCommand(script),
      pnpmVersion,
      nodeVersion: values.node,
      port,
      healthPath: values['health-path'],
      tini: values.tini,
      npmrc: existsSync(join(root, '.npmrc')),
    });
    const out = resolve(cwd, values.out ?? join(appDir, 'Dockerfile'));
    writeFileSync(out, text);
    process.stdout.write(`plinth-deploy: wrote ${relative(cwd, out) || out}\n`);
    return 0;
  } catch (error) {
    if (error instanceof DeployError) {
      process.stderr.write(`plinth-deploy: ${error.message} (${error.code})\n`);
      return 1;
    }
    throw error;
  }
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      app: { type: 'string' },
      out: { type: 'string' },
      node: { type: 'string' },
      port: { type: 'string' },
      'health-path': { type: 'string' },
      cmd: { type: 'string' },
      tini: { type: 'boolean' },
      root: { type: 'string' },
      'test-command': { type: 'string' },
      dockerfile: { type: 'string' },
      env: { type: 'string', multiple: true },
      force: { type: 'boolean' },
      'pin-sha': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

function findWorkspaceRoot(from: string): string {
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'pnpm-workspace.yaml'))) return dir;
    if (dirname(dir) === dir) return resolve(from);
  }
}

function readJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new DeployError(
      'ERR_DEPLOY_APP_NOT_FOUND',
      `Cannot read ${path} as JSON: ${(error as Error).message}`,
      { cause: error },
    );
  }
}

// Run when executed as the bin, not when imported by the tests.
const invoked = process.argv[1] ?? '';
if (/(?:^|[\\/])(?:cli\.(?:js|cjs|ts)|plinth-deploy)$/.test(invoked))
  process.exitCode = main(process.argv.slice(2));
