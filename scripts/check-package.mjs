#!/usr/bin/env node
// The package contract, checked for one package (run from its folder, or pass the folder).
// Rules: 1 no @plinth/* dependency; 2 publint + attw on the packed tarball; 3 the tarball installs
// alone (with only its declared peers) and every subpath imports from ESM and CJS; 4 the README
// has install, an example per adapter and the benchmark table; 5 api-report.md lists the public API
// (values and types of every entry point) as the build has it.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { apiReport } from './api-report.mjs';

const dir = resolve(process.argv[2] ?? process.cwd());
const root = resolve(import.meta.dirname, '..');
const bin = (name) => join(root, 'node_modules', '.bin', name);
const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
const failures = [];

function fail(rule, message) {
  failures.push(`${pkg.name}: rule ${rule}: ${message}`);
}

function run(command, args, cwd) {
  try {
    return { ok: true, output: execFileSync(command, args, { cwd, encoding: 'utf8', stdio: 'pipe' }) };
  } catch (error) {
    return { ok: false, output: `${error.stdout ?? ''}${error.stderr ?? ''}`.trim() || String(error) };
  }
}

// Rule 1: packages meet only through standards, never through each other.
for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies']) {
  for (const name of Object.keys(pkg[field] ?? {})) {
    if (name.startsWith('@plinth/'))
      fail(1, `${field} names ${name}; packages must not depend on each other`);
  }
}

const subpaths = Object.keys(pkg.exports ?? {}).filter((key) => key !== './package.json');
if (subpaths.length === 0) fail(2, 'package.json has no "exports"');
// moduleResolution "node" ignores "exports": each subpath needs a typesVersions entry to find its types.
for (const subpath of subpaths.filter((key) => key !== '.')) {
  const mapped = pkg.typesVersions?.['*']?.[subpath.slice(2)];
  const types = pkg.exports[subpath]?.require?.types;
  if (!Array.isArray(mapped) || mapped[0] !== types) {
    fail(
      2,
      `typesVersions["*"]["${subpath.slice(2)}"] must be ["${types}"] (the CommonJS types of ${subpath})`,
    );
  }
}

// Rule 2: publint and attw judge the tarball users will get.
const work = mkdtempSync(join(tmpdir(), 'plinth-check-'));
try {
  const packed = run('pnpm', ['pack', '--pack-destination', work], dir);
  const tarball = readdirSync(work).find((file) => file.endsWith('.tgz'));
  if (!packed.ok || !tarball) {
    fail(2, `pnpm pack failed:\n${packed.output}`);
  } else {
    const tarPath = join(work, tarball);
    // --strict turns warnings into errors, so the exit code is the verdict.
    const publint = run(bin('publint'), ['run', '--strict', '--pack', 'npm'], dir);
    if (!publint.ok) fail(2, `publint --strict:\n${publint.output}`);
    // Every resolution mode, node10 included: many CommonJS projects still use moduleResolution "node".
    const attw = run(bin('attw'), [tarPath, '--format', 'ascii'], dir);
    if (!attw.ok) fail(2, `attw:\n${attw.output}`);

    // Rule 3: installed alone, with only its declared peers, every subpath loads from ESM and CJS.
    const app = join(work, 'app');
    mkdirSync(app);
    writeFileSync(
      join(app, 'package.json'),
      JSON.stringify({ name: 'plinth-independence-check', private: true }),
    );
    const peers = Object.entries(pkg.peerDependencies ?? {}).map(([name, range]) => `${name}@${range}`);
    const install = run(
      'pnpm',
      [
        'add',
        '--ignore-workspace',
        '--config.auto-install-peers=false',
        '--reporter=silent',
        tarPath,
        ...peers,
      ],
      app,
    );
    if (!install.ok) {
      fail(3, `installing the tarball alone failed:\n${install.output}`);
    } else {
      for (const subpath of subpaths) {
        const specifier = subpath === '.' ? pkg.name : `${pkg.name}/${subpath.slice(2)}`;
        const esm = run(
          'node',
          [
            '--input-type=module',
            '-e',
            `const m = await import(${JSON.stringify(specifier)}); if (Object.keys(m).length === 0) throw new Error('no exports');`,
          ],
          app,
        );
        if (!esm.ok) fail(3, `import ${specifier} (ESM) failed in a clean project:\n${esm.output}`);
        const cjs = run(
          'node',
          [
            '-e',
            `const m = require(${JSON.stringify(specifier)}); if (Object.keys(m).length === 0) throw new Error('no exports');`,
          ],
          app,
        );
        if (!cjs.ok) fail(3, `require ${specifier} (CJS) failed in a clean project:\n${cjs.output}`);
      }
    }
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

// Rule 4: the README teaches the package.
let readme = '';
try {
  readme = readFileSync(join(dir, 'README.md'), 'utf8');
} catch {
  fail(4, 'README.md is missing');
}
if (readme) {
  if (!/^##+ Install/im.test(readme) || !new RegExp(`(add|install|i) ${pkg.name}`).test(readme)) {
    fail(4, `README.md needs an "## Install" section with \`pnpm add ${pkg.name}\` (or npm install)`);
  }
  const blocks = [...readme.matchAll(/```(?:ts|typescript|js|javascript)\n([\s\S]*?)```/g)].map((m) => m[1]);
  for (const subpath of subpaths) {
    const specifier = subpath === '.' ? pkg.name : `${pkg.name}/${subpath.slice(2)}`;
    const quoted = new RegExp(`from ['"]${specifier.replace(/[/.]/g, '\\$&')}['"]`);
    if (!blocks.some((block) => quoted.test(block))) {
      fail(4, `README.md has no code example that imports from '${specifier}'`);
    }
  }
  const bench = readme.split(/^##+ Benchmark/im)[1];
  if (!bench || !/^\|.*\|\s*$/m.test(bench) || !/^\|\s*:?-{3,}/m.test(bench)) {
    fail(4, 'README.md needs a "## Benchmark" section with a markdown table of results');
  }
}

// Rule 5: the public surface, types included, changes only on purpose and in review.
let committed = '';
try {
  committed = readFileSync(join(dir, 'api-report.md'), 'utf8');
} catch {
  // reported below like any other difference
}
if (committed !== apiReport(dir)) {
  fail(
    5,
    'api-report.md differs from the built API; review the change, then run `node ../../scripts/api-report.mjs --write` in the package and commit it',
  );
}

if (failures.length > 0) {
  console.error(`\ncheck-package FAILED for ${pkg.name}:`);
  for (const failure of failures) console.error(`  ✗ ${failure}`);
  process.exit(1);
}
console.log(`check-package: ${pkg.name} holds rules 1-5 (${subpaths.length} entry points, ESM and CJS)`);
