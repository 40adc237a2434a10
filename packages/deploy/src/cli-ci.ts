// `plinth-deploy ci`: writes the CI and release workflows of a pnpm workspace into .github/workflows.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { renderReleaseWorkflow } from './ci-release.js';
import { defaultNodeVersions, renderCiWorkflow } from './ci-workflow.js';
import { DeployError } from './errors.js';

/** The `ci` command's options, as parsed from the command line. */
export interface CiCommandValues {
  node?: string;
  'test-command'?: string;
  dockerfile?: string;
  env?: string[];
  out?: string;
  force?: boolean;
  'pin-sha'?: boolean;
}

/** The workspace root's package.json, the fields the workflows follow. */
export interface RootManifest {
  packageManager?: unknown;
  scripts?: Record<string, unknown>;
  devDependencies?: Record<string, unknown>;
}

/** Renders both workflows for the workspace at `root`; returns file name → text. */
export function renderCiFiles(
  root: string,
  manifest: RootManifest,
  values: CiCommandValues,
): Record<'ci.yml' | 'release.yml', string> {
  const pnpmVersion = pinnedPnpm(manifest);
  const nodeVersions = values.node?.split(',').map((version) => version.trim()) ?? defaultNodeVersions;
  return {
    'ci.yml': renderCiWorkflow({
      pnpmVersion,
      nodeVersions,
      testCommand: values['test-command'],
      dockerfile: dockerfilePath(root, values.dockerfile),
      env: parseEnv(values.env ?? []),
      pinSha: values['pin-sha'],
    }),
    'release.yml': renderReleaseWorkflow({
      pnpmVersion,
      // Publish on the newest line of the matrix.
      nodeVersion: [...nodeVersions].sort((a, b) => Number.parseFloat(b) - Number.parseFloat(a))[0],
      releaseScript: typeof manifest.scripts?.release === 'string' ? 'release' : undefined,
      changesetsMajor: changesetsMajor(manifest),
      pinSha: values['pin-sha'],
    }),
  };
}

/** Writes the workflows into `--out` (default `<root>/.github/workflows`); refuses to overwrite without `--force`. */
export function writeCiFiles(
  root: string,
  cwd: string,
  manifest: RootManifest,
  values: CiCommandValues,
): string[] {
  const files = renderCiFiles(root, manifest, values);
  const dir = resolve(cwd, values.out ?? join(root, '.github', 'workflows'));
  const paths = Object.keys(files).map((name) => join(dir, name));
  const existing = paths.filter((path) => existsSync(path));
  if (existing.length > 0 && values.force !== true) {
    throw new DeployError(
      'ERR_DEPLOY_INVALID_OPTION',
      `${existing.map((path) => relative(cwd, path) || path).join(' and ')} already ${existing.length === 1 ? 'exists' : 'exist'}; pass --force to overwrite (nothing was written).`,
    );
  }
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return paths;
}

function pinnedPnpm(manifest: RootManifest): string {
  const field = manifest.packageManager;
  if (typeof field !== 'string' || !/^pnpm@\d/.test(field)) {
    throw new DeployError(
      'ERR_DEPLOY_INVALID_OPTION',
      'The root package.json needs "packageManager": "pnpm@<version>" (e.g. "pnpm@10.34.0"): the workflows install exactly that pnpm.',
    );
  }
  return field.slice('pnpm@'.length).split('+')[0] as string;
}

// The release workflow runs `changeset`: the root must have @changesets/cli, whose major picks the action.
function changesetsMajor(manifest: RootManifest): number {
  const specifier = manifest.devDependencies?.['@changesets/cli'];
  const major = typeof specifier === 'string' ? /\d+/.exec(specifier)?.[0] : undefined;
  if (major === undefined) {
    throw new DeployError(
      'ERR_DEPLOY_INVALID_OPTION',
      'The release workflow versions and publishes with changesets: add it to the root (`pnpm add -Dw @changesets/cli && pnpm changeset init`).',
    );
  }
  return Number(major);
}

// --dockerfile is relative to the workspace root; without it, a root Dockerfile is built if there is one.
function dockerfilePath(root: string, option: string | undefined): string | undefined {
  const path = option ?? (existsSync(join(root, 'Dockerfile')) ? 'Dockerfile' : undefined);
  if (path === undefined) return undefined;
  if (!existsSync(resolve(root, path))) {
    throw new DeployError(
      'ERR_DEPLOY_INVALID_OPTION',
      `No Dockerfile at ${path} (relative to the workspace root); write one with \`plinth-deploy dockerfile\` or fix --dockerfile.`,
    );
  }
  return relative(root, resolve(root, path)).split('\\').join('/');
}

function parseEnv(pairs: readonly string[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at < 1) {
      throw new DeployError('ERR_DEPLOY_INVALID_OPTION', `--env takes NAME=value, got "${pair}".`);
    }
    env[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return env;
}
