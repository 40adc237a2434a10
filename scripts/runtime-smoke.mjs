#!/usr/bin/env node
// Smoke test of a fetch-style package on Bun and Deno: each runtime serves the package's
// test/runtime/server.mjs (its README example on Bun.serve / Deno.serve), and every request of
// test/runtime/cases.json must get the expected answer: `status`, a `contentType` prefix, exact
// `headers`, `headersNot` (present and different), `json` members and `absent` body members.
// Run from the package folder, or pass it.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const dir = resolve(process.argv[2] ?? process.cwd());
const root = resolve(import.meta.dirname, '..');
const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
const cases = JSON.parse(readFileSync(join(dir, 'test/runtime/cases.json'), 'utf8'));
const server = join(dir, 'test/runtime/server.mjs');
const startTimeout = 30_000;
const requestTimeout = 10_000;

/** The runtimes, each from the root devDependencies (the npm packages `bun` and `deno`). */
const runtimes = [
  { name: 'bun', command: join(root, 'node_modules/.bin/bun'), args: ['run', server] },
  {
    name: 'deno',
    command: join(root, 'node_modules/.bin/deno'),
    args: ['run', '--allow-net', '--allow-read', '--allow-env', '--allow-sys', server],
  },
];

/** Starts the server and resolves with its port once it prints "listening <port>". */
function start(runtime) {
  const child = spawn(runtime.command, runtime.args, {
    cwd: dir,
    env: { ...process.env, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const port = new Promise((resolvePort, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${runtime.name} did not print "listening <port>" within ${startTimeout} ms`)),
      startTimeout,
    );
    const onData = (chunk) => {
      output += chunk;
      const match = /listening (\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolvePort(Number(match[1]));
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk) => {
      output += chunk;
    });
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${runtime.name} exited with ${code} before listening`));
    });
  });
  return { child, port, output: () => output };
}

/** The differences between what a case expects and what the response holds ([] when it matches). */
async function compare(expect, response) {
  const problems = [];
  const text = await response.text();
  if (response.status !== expect.status)
    problems.push(`status ${response.status}, expected ${expect.status}`);
  const contentType = response.headers.get('content-type') ?? '';
  if (expect.contentType !== undefined && !contentType.startsWith(expect.contentType)) {
    problems.push(`content-type "${contentType}", expected "${expect.contentType}"`);
  }
  for (const [name, value] of Object.entries(expect.headers ?? {})) {
    const actual = response.headers.get(name);
    if (actual !== value) problems.push(`header ${name}: ${JSON.stringify(actual)}, expected "${value}"`);
  }
  for (const [name, value] of Object.entries(expect.headersNot ?? {})) {
    const actual = response.headers.get(name);
    if (actual === value || actual === null) {
      problems.push(`header ${name}: ${JSON.stringify(actual)}, expected a value other than "${value}"`);
    }
  }
  if (expect.json !== undefined) {
    let body;
    try {
      body = JSON.parse(text);
    } catch {
      problems.push(`body is not JSON: ${text.slice(0, 200)}`);
    }
    for (const [key, value] of Object.entries(body === undefined ? {} : expect.json)) {
      if (JSON.stringify(body[key]) !== JSON.stringify(value)) {
        problems.push(`body.${key}: ${JSON.stringify(body[key])}, expected ${JSON.stringify(value)}`);
      }
    }
    for (const key of body === undefined ? [] : (expect.absent ?? [])) {
      if (key in body) problems.push(`body.${key} is ${JSON.stringify(body[key])}, expected it absent`);
    }
  }
  return problems;
}

async function check(runtime) {
  const failures = [];
  const started = start(runtime);
  try {
    const port = await started.port;
    for (const { name, request, expect } of cases) {
      try {
        const response = await fetch(`http://127.0.0.1:${port}${request.path}`, {
          method: request.method,
          headers: request.headers,
          body: request.body,
          signal: AbortSignal.timeout(requestTimeout),
        });
        for (const problem of await compare(expect, response)) failures.push(`${name}: ${problem}`);
      } catch (error) {
        failures.push(`${name}: ${error.message}`);
      }
    }
  } catch (error) {
    failures.push(`${error.message}\n${started.output()}`);
  } finally {
    started.child.kill('SIGKILL');
  }
  return failures;
}

let failed = 0;
for (const runtime of runtimes) {
  const failures = await check(runtime);
  if (failures.length === 0) {
    console.log(`runtime-smoke: ${pkg.name} on ${runtime.name}: ${cases.length} cases passed`);
  } else {
    failed += failures.length;
    console.error(`runtime-smoke: ${pkg.name} on ${runtime.name} FAILED:`);
    for (const failure of failures) console.error(`  ✗ ${failure}`);
  }
}
process.exit(failed === 0 ? 0 : 1);
