// The CLI as CI runs it: a child process, its exit code and what it prints.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { expectValidOpenApi } from './support/openapi-validator.js';

const packageDir = new URL('..', import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), 'devtools-cli-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function cli(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
    cwd: packageDir,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('plinth-devtools openapi', () => {
  it('prints the document of an app module', async () => {
    const { code, stdout } = cli(['openapi', '--app', 'test/fixtures/drift/app.mjs']);
    expect(code).toBe(0);
    const document = JSON.parse(stdout);
    await expectValidOpenApi(document);
    expect(document.info.title).toBe('Drift');
    expect(document.paths['/users/{id}'].get.summary).toBe('One user');
  });

  it('reads a TypeScript module exporting a @plinth/http app', async () => {
    const { code, stdout, stderr } = cli(['openapi', '--app', 'test/fixtures/drift/http-app.ts']);
    expect(code, stderr).toBe(0);
    const document = JSON.parse(stdout);
    await expectValidOpenApi(document);
    expect(Object.keys(document.paths)).toEqual(['/health', '/notes']);
  });

  it('--check passes when the committed file matches, and fails printing the difference when not', () => {
    const file = join(work, 'openapi.json');
    expect(cli(['openapi', '--app', 'test/fixtures/drift/app.mjs', '--out', file]).code).toBe(0);
    const ok = cli(['openapi', '--app', 'test/fixtures/drift/app.mjs', '--check', file]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('matches the routes');

    const drift = cli(['openapi', '--app', 'test/fixtures/drift/app.mjs', '--check', file], {
      ROUTE_SUMMARY: 'A user',
      EXTRA_ROUTE: '1',
    });
    expect(drift.code).toBe(1);
    expect(drift.stderr).toContain('~ /paths/~1users~1{id}/get/summary: "One user" → "A user"');
    expect(drift.stderr).toMatch(/\+ \/paths\/~1users~1\{id\}\/delete: \{"operationId":"deleteUsersById"/);
    expect(drift.stderr).toContain(`--out ${file}`);
  });

  it('ignores formatting: a reindented committed file still matches', () => {
    const file = join(work, 'compact.json');
    const { stdout } = cli(['openapi', '--app', 'test/fixtures/drift/app.mjs']);
    writeFileSync(file, JSON.stringify(JSON.parse(stdout)));
    expect(cli(['openapi', '--app', 'test/fixtures/drift/app.mjs', '--check', file]).code).toBe(0);
  });

  it('fails with a clear message for a missing file, a bad module and bad JSON', () => {
    const missing = cli([
      'openapi',
      '--app',
      'test/fixtures/drift/app.mjs',
      '--check',
      join(work, 'nope.json'),
    ]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('does not exist; write it with');
    const noModule = cli(['openapi', '--app', 'test/fixtures/drift/none.mjs']);
    expect(noModule.code).toBe(1);
    expect(noModule.stderr).toContain('no such file');
    const broken = join(work, 'broken.json');
    writeFileSync(broken, '{ not json');
    const badJson = cli(['openapi', '--app', 'test/fixtures/drift/app.mjs', '--check', broken]);
    expect(badJson.code).toBe(1);
    expect(badJson.stderr).toContain('is not valid JSON');
    expect(cli(['frobnicate']).code).toBe(2);
  });
});

describe('plinth-devtools routes', () => {
  it('prints the route table', () => {
    const { code, stdout } = cli(['routes', '--app', 'test/fixtures/drift/http-app.ts']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^METHOD\s+PATH\s+SUMMARY\nGET\s+\/health\s+Liveness\nPOST\s+\/notes\n$/);
  });
});

describe('the written file', () => {
  it('ends with a newline and is indented, so diffs in review read well', () => {
    const file = join(work, 'pretty.json');
    cli(['openapi', '--app', 'test/fixtures/drift/app.mjs', '--out', file]);
    const text = readFileSync(file, 'utf8');
    expect(text.endsWith('}\n')).toBe(true);
    expect(text).toContain('\n  "openapi": "3.1.0"');
  });
});
