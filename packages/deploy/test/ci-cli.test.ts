// `plinth-deploy ci` on a throwaway workspace: where it writes, what it reads, and that it never
// overwrites without --force nor waits for an answer.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parse } from 'yaml';
import { main } from '../src/cli.js';

const cli = fileURLToPath(new URL('../src/cli.ts', import.meta.url));
// The children run in temp folders, where a bare `--import tsx` would not resolve.
const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

function workspace(manifest: object, files: Record<string, string> = {}): string {
  const root = mkdtempSync(join(tmpdir(), 'plinth-ci-cli-'));
  writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'root', private: true, ...manifest }));
  writeFileSync(join(root, 'pnpm-workspace.yaml'), 'packages:\n  - apps/*\n');
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

const pinned = {
  packageManager: 'pnpm@10.34.0+sha512.abc',
  devDependencies: { '@changesets/cli': '^2.31.1' },
};
const workflows = (root: string) => join(root, '.github/workflows');
const read = (root: string, name: string) => readFileSync(join(workflows(root), name), 'utf8');

function stderrOf(run: () => number): { code: number; stderr: string } {
  let stderr = '';
  const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    stderr += String(chunk);
    return true;
  });
  try {
    return { code: run(), stderr };
  } finally {
    spy.mockRestore();
  }
}

afterEach(() => vi.restoreAllMocks());

describe('plinth-deploy ci', () => {
  it('writes ci.yml and release.yml under .github/workflows of the workspace root, from a subfolder too', () => {
    const root = workspace(pinned, { 'apps/api/Dockerfile': 'FROM node:24\n' });
    mkdirSync(join(root, 'apps/api/src'), { recursive: true });
    expect(main(['ci', '--dockerfile', 'apps/api/Dockerfile'], join(root, 'apps/api/src'))).toBe(0);
    const ci = parse(read(root, 'ci.yml'));
    expect(ci.jobs.image.steps.at(-1).with.file).toBe('apps/api/Dockerfile');
    expect(read(root, 'ci.yml')).toContain('# pnpm 10.34.0:');
    expect(parse(read(root, 'release.yml')).jobs.release.steps.at(-1).with.publish).toBe(
      'pnpm exec changeset publish',
    );
  });

  it('builds a root Dockerfile without --dockerfile, and no image without either', () => {
    const withDockerfile = workspace(pinned, { Dockerfile: 'FROM node:24\n' });
    expect(main(['ci'], withDockerfile)).toBe(0);
    expect(parse(read(withDockerfile, 'ci.yml')).jobs.image.steps.at(-1).with.file).toBe('Dockerfile');
    const without = workspace(pinned);
    expect(main(['ci'], without)).toBe(0);
    expect(parse(read(without, 'ci.yml')).jobs.image).toBeUndefined();
  });

  it('takes --node, --test-command, --env and --out, and publishes on the newest Node.js given', () => {
    const root = workspace({ ...pinned, scripts: { release: 'changeset publish' } });
    const args = [
      'ci',
      '--node',
      '24, 22',
      '--test-command',
      'pnpm -r test',
      '--env',
      'A=b=c',
      '--out',
      'wf',
    ];
    expect(main(args, root)).toBe(0);
    const ci = parse(readFileSync(join(root, 'wf/ci.yml'), 'utf8'));
    expect(ci.jobs.test.strategy.matrix.node).toEqual(['24', '22']);
    expect(ci.jobs.test.steps.at(-1).run).toBe('pnpm -r test');
    expect(ci.jobs.test.env.A).toBe('b=c');
    const release = parse(readFileSync(join(root, 'wf/release.yml'), 'utf8'));
    expect(
      release.jobs.release.steps.find((s: { uses?: string }) => s.uses?.startsWith('actions/setup-node@'))
        .with['node-version'],
    ).toBe('24');
    expect(release.jobs.release.steps.at(-1).with.publish).toBe('pnpm run release');
    expect(existsSync(workflows(root))).toBe(false);
  });

  it('pins actions to commit SHAs with --pin-sha, and drives changesets/action@v2 for @changesets/cli 3', () => {
    const root = workspace({ ...pinned, devDependencies: { '@changesets/cli': '3.0.1' } });
    expect(main(['ci', '--pin-sha'], root)).toBe(0);
    expect(read(root, 'ci.yml')).toMatch(/uses: actions\/checkout@[0-9a-f]{40} # v\d/);
    expect(read(root, 'release.yml')).toMatch(/uses: changesets\/action@[0-9a-f]{40} # v2\./);
  });

  it('refuses to overwrite either file without --force, writing nothing, and overwrites with it', () => {
    const root = workspace(pinned, { '.github/workflows/release.yml': 'name: mine\n' });
    const refused = stderrOf(() => main(['ci'], root));
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('.github/workflows/release.yml already exists; pass --force');
    expect(refused.stderr).toContain('ERR_DEPLOY_INVALID_OPTION');
    expect(existsSync(join(workflows(root), 'ci.yml'))).toBe(false);
    expect(read(root, 'release.yml')).toBe('name: mine\n');
    expect(main(['ci', '--force'], root)).toBe(0);
    expect(parse(read(root, 'release.yml')).name).toBe('Release');
  });

  it.each([
    [
      'no packageManager in the root package.json',
      { devDependencies: pinned.devDependencies },
      [],
      '"packageManager": "pnpm@<version>"',
    ],
    ['a packageManager other than pnpm', { ...pinned, packageManager: 'yarn@4.5.0' }, [], '"packageManager"'],
    [
      'no @changesets/cli in the root',
      { packageManager: 'pnpm@10.34.0' },
      [],
      'pnpm add -Dw @changesets/cli',
    ],
    ['a --dockerfile that does not exist', pinned, ['--dockerfile', 'apps/x/Dockerfile'], 'No Dockerfile at'],
    ['an --env without a name', pinned, ['--env', '=1'], '--env takes NAME=value'],
    ['a --node that is not a version', pinned, ['--node', 'latest'], 'must look like "20,22,24"'],
  ])('exits 1 with a message naming the fix for %s', (_, manifest, args, message) => {
    const root = workspace(manifest);
    const { code, stderr } = stderrOf(() => main(['ci', ...args], root));
    expect(code).toBe(1);
    expect(stderr).toContain(message);
    expect(existsSync(workflows(root))).toBe(false);
  });

  it('never waits for an answer: with files present and stdin open it exits 1 at once', async () => {
    const root = workspace(pinned, { '.github/workflows/ci.yml': 'name: mine\n' });
    const child = spawn(process.execPath, ['--import', tsx, cli, 'ci'], { cwd: root, stdio: 'pipe' });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    // stdin stays open and unwritten: a prompt would hang here until the test's timeout.
    const code = await new Promise((resolve) => child.on('exit', resolve));
    expect(code).toBe(1);
    expect(stderr).toContain('pass --force');
    expect(read(root, 'ci.yml')).toBe('name: mine\n');
  });
});
