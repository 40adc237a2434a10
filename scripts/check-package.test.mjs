// The package contract must fail loudly, naming the package and the rule, and pass a sound package.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';

const script = join(import.meta.dirname, 'check-package.mjs');
const temp = mkdtempSync(join(tmpdir(), 'plinth-contract-'));
after(() => rmSync(temp, { recursive: true, force: true }));

function writePackage(name, files) {
  const dir = join(temp, name);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  }
  return dir;
}

function check(dir) {
  return spawnSync('node', [script, dir], { encoding: 'utf8', timeout: 120_000 });
}

const entry = {
  import: { types: './dist/index.d.ts', default: './dist/index.js' },
  require: { types: './dist/index.d.cts', default: './dist/index.cjs' },
};

const readmeFor = (name) =>
  [
    `# ${name}`,
    '## Install',
    `\`\`\`sh\npnpm add ${name}\n\`\`\``,
    `\`\`\`ts\nimport { answer } from '${name}';\n\`\`\``,
    '## Benchmark',
    '| case | ours |\n|---|---|\n| answer | 1 |',
    '',
  ].join('\n\n');

/** A package that holds every rule, built by hand; `cjs` replaces its CommonJS build. */
function publishablePackage(folder, name, cjs = 'exports.answer = 42;\n') {
  return writePackage(folder, {
    'package.json': {
      name,
      version: '1.0.0',
      license: 'MIT',
      type: 'module',
      repository: { type: 'git', url: `git+https://example.com/${folder}.git` },
      files: ['dist'],
      main: './dist/index.cjs',
      types: './dist/index.d.cts',
      exports: { '.': entry, './package.json': './package.json' },
    },
    'README.md': readmeFor(name),
    'dist/index.js': 'export const answer = 42;\n',
    'dist/index.cjs': cjs,
    'dist/index.d.ts': 'export declare const answer = 42;\n',
    'dist/index.d.cts': 'export declare const answer = 42;\n',
    'api-report.md': [
      `# API of ${name}`,
      '',
      'Written by `scripts/api-report.mjs` from the built declarations.',
      '',
      `## ${name}`,
      '',
      '- const `answer`',
      '',
    ].join('\n'),
  });
}

test('passes a package that holds every rule', () => {
  const dir = publishablePackage('sound', '@fixture/sound');
  const result = check(dir);
  assert.equal(result.status, 0, result.stderr + result.stdout);
  assert.match(result.stdout, /@fixture\/sound holds rules 1-5/);
});

test('fails naming the package and each broken rule', () => {
  const dir = writePackage('broken', {
    'package.json': {
      name: '@fixture/broken',
      version: '1.0.0',
      type: 'module',
      files: ['dist'],
      dependencies: { '@plinth/http': '0.0.0' },
      exports: { '.': entry, './express': entry, './package.json': './package.json' },
    },
    'README.md': '# broken\n\nNo install section, no examples, no benchmark.\n',
  });
  const result = check(dir);
  assert.equal(result.status, 1);
  assert.match(result.stderr, /check-package FAILED for @fixture\/broken/);
  assert.match(result.stderr, /@fixture\/broken: rule 1: dependencies names @plinth\/http/);
  assert.match(result.stderr, /@fixture\/broken: rule 2: publint/);
  assert.match(
    result.stderr,
    /rule 2: typesVersions\["\*"\]\["express"\] must be \["\.\/dist\/index\.d\.cts"\]/,
  );
  assert.match(result.stderr, /@fixture\/broken: rule 3: installing the tarball alone failed/);
  assert.match(result.stderr, /rule 4: README.md needs an "## Install" section/);
  assert.match(
    result.stderr,
    /rule 4: README.md has no code example that imports from '@fixture\/broken\/express'/,
  );
  assert.match(result.stderr, /rule 4: README.md needs a "## Benchmark" section/);
  assert.match(result.stderr, /rule 5: api-report.md differs from the built API/);
});

test('fails rule 5 when the public API changed without its report', () => {
  const dir = publishablePackage('grown', '@fixture/grown');
  writeFileSync(
    join(dir, 'dist/index.d.ts'),
    'export declare const answer = 42;\nexport interface Question { text: string }\n',
  );
  const result = check(dir);
  assert.equal(result.status, 1);
  assert.match(result.stderr, /@fixture\/grown: rule 5: api-report.md differs/);
});

test('fails rule 3 when an entry point does not load from CommonJS', () => {
  const dir = publishablePackage(
    'esm-only',
    '@fixture/esm-only',
    'throw new Error("this build forgot CommonJS");\n',
  );
  const result = check(dir);
  assert.equal(result.status, 1);
  assert.match(result.stderr, /rule 3: require @fixture\/esm-only \(CJS\) failed in a clean project/);
});
