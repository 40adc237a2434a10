// CPU profiles and heap snapshots of a real server process, by signal and by the guarded endpoint;
// the files must parse as the JSON Chrome DevTools loads.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureCpuProfile } from '../src/node.js';
import { type Child, startChild } from './support/child.js';

let dir: string;
let child: Child;
let base: string;

function expectCpuProfile(file: string): void {
  expect(file).toMatch(/\.cpuprofile$/);
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  // The Profiler.Profile shape DevTools' Performance panel loads.
  expect(profile).toMatchObject({ startTime: expect.any(Number), endTime: expect.any(Number) });
  expect(Array.isArray(profile.nodes) && profile.nodes.length > 0).toBe(true);
  expect((profile.nodes as Array<{ callFrame: { functionName: string } }>)[0]!.callFrame).toHaveProperty(
    'functionName',
  );
  expect(Array.isArray(profile.samples)).toBe(true);
}

function expectHeapSnapshot(file: string): void {
  expect(file).toMatch(/\.heapsnapshot$/);
  const snapshot = JSON.parse(readFileSync(file, 'utf8')) as {
    snapshot: { meta: { node_fields: string[] }; node_count: number };
    nodes: number[];
    strings: string[];
  };
  // The heap snapshot format DevTools' Memory panel loads.
  expect(snapshot.snapshot.meta.node_fields).toContain('self_size');
  expect(snapshot.nodes.length).toBe(
    snapshot.snapshot.node_count * snapshot.snapshot.meta.node_fields.length,
  );
  expect(snapshot.strings.length).toBeGreaterThan(0);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'devtools-profiles-'));
  child = startChild(['test/fixtures/profiled-server.ts'], {
    PROFILE_DIR: dir,
    PROFILE_TOKEN: 'dev-token',
    NODE_ENV: 'development',
  });
  const { port } = JSON.parse(await child.waitFor((line) => line.includes('"port"'))) as { port: number };
  base = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
  await child.stop();
  rmSync(dir, { recursive: true, force: true });
});

const guarded = { 'x-plinth-devtools': '1', authorization: 'Bearer dev-token' };

describe('profiling endpoints', () => {
  it('writes a .cpuprofile on POST /__devtools/cpu-profile', async () => {
    const response = await fetch(`${base}/__devtools/cpu-profile?duration=200`, {
      method: 'POST',
      headers: guarded,
    });
    expect(response.status).toBe(201);
    const { file } = (await response.json()) as { file: string };
    expect(file.startsWith(dir)).toBe(true);
    expectCpuProfile(file);
  });

  it('writes a .heapsnapshot on POST /__devtools/heap-snapshot', async () => {
    const response = await fetch(`${base}/__devtools/heap-snapshot`, { method: 'POST', headers: guarded });
    expect(response.status).toBe(201);
    expectHeapSnapshot(((await response.json()) as { file: string }).file);
  });

  it('refuses GET, a missing guard header, a wrong token and an absurd duration', async () => {
    const get = await fetch(`${base}/__devtools/heap-snapshot`, { headers: guarded });
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
    const noHeader = await fetch(`${base}/__devtools/heap-snapshot`, {
      method: 'POST',
      headers: { authorization: 'Bearer dev-token' },
    });
    expect(noHeader.status).toBe(403);
    expect(noHeader.headers.get('content-type')).toBe('application/problem+json');
    const wrongToken = await fetch(`${base}/__devtools/heap-snapshot`, {
      method: 'POST',
      headers: { ...guarded, authorization: 'Bearer nope' },
    });
    expect(wrongToken.status).toBe(401);
    const tooLong = await fetch(`${base}/__devtools/cpu-profile?duration=999999`, {
      method: 'POST',
      headers: guarded,
    });
    expect(tooLong.status).toBe(400);
  });
});

describe('profile on signal', () => {
  it('writes a CPU profile and a heap snapshot on SIGUSR2', async () => {
    child.process.kill('SIGUSR2');
    const line = await child.waitFor((text) => text.includes('"profiled"'));
    const { profiled } = JSON.parse(line) as { profiled: string[] };
    expect(profiled).toHaveLength(2);
    expectCpuProfile(profiled[0]!);
    expectHeapSnapshot(profiled[1]!);
  });
});

describe('profiling endpoints in production', () => {
  it('do not exist when NODE_ENV=production', async () => {
    const production = startChild(['test/fixtures/profiled-server.ts'], {
      PROFILE_DIR: dir,
      NODE_ENV: 'production',
    });
    try {
      const { port } = JSON.parse(await production.waitFor((line) => line.includes('"port"'))) as {
        port: number;
      };
      const response = await fetch(`http://127.0.0.1:${port}/__devtools/heap-snapshot`, {
        method: 'POST',
        headers: { 'x-plinth-devtools': '1' },
      });
      expect(response.status).toBe(404);
    } finally {
      await production.stop();
    }
  });
});

describe('captureCpuProfile in this process', () => {
  it('stops at the abort, and one signal serves many captures without a listener leak', async () => {
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(`${warning.name}: ${warning.message}`);
    process.on('warning', onWarning);
    const controller = new AbortController();
    try {
      for (let round = 0; round < 12; round++)
        await captureCpuProfile({ duration: 1, dir, signal: controller.signal });
      const started = performance.now();
      const capture = captureCpuProfile({ duration: 60_000, dir, signal: controller.signal });
      setTimeout(() => controller.abort(), 50);
      expectCpuProfile(await capture);
      expect(performance.now() - started).toBeLessThan(30_000);
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings).toEqual([]);
    } finally {
      process.off('warning', onWarning);
    }
  });
});
