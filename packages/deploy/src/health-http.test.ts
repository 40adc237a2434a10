import { describe, expect, it } from 'vitest';
import type { Check } from './check.js';
import { createHealth } from './health.js';

const db: Check = { name: 'postgres', componentType: 'datastore', run: () => undefined };
const cache: Check = {
  name: 'redis',
  critical: false,
  run: () => {
    throw new Error('connect ECONNREFUSED 127.0.0.1:1');
  },
};

const get = (health: ReturnType<typeof createHealth>, path: string, init?: RequestInit) =>
  health.fetch(new Request(`http://127.0.0.1${path}`, init));

describe('health endpoints', () => {
  it('answers health+json, no-store, with only the status unless details are asked for', async () => {
    const health = createHealth({ checks: [db], started: true, verbose: true });
    const response = await get(health, '/readyz');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/health+json');
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.json()).toEqual({ status: 'pass' });
  });

  it('shows per-check details under checks with ?verbose when allowed', async () => {
    const health = createHealth({
      checks: [db, cache],
      started: true,
      verbose: true,
      service: { serviceId: 'api', version: '1', releaseId: 'abc123' },
    });
    const response = await get(health, '/readyz?verbose');
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body).toMatchObject({ status: 'warn', serviceId: 'api', version: '1', releaseId: 'abc123' });
    expect(Object.keys(body.checks)).toEqual(['postgres:responseTime', 'redis:responseTime']);
    expect(body.checks['postgres:responseTime'][0]).toMatchObject({
      componentType: 'datastore',
      status: 'pass',
      observedUnit: 'ms',
    });
    expect(body.checks['redis:responseTime'][0]).toMatchObject({
      status: 'fail',
      output: 'connect ECONNREFUSED 127.0.0.1:1',
    });
  });

  it('hides details when the verbose option refuses the request', async () => {
    const health = createHealth({
      checks: [cache],
      started: true,
      verbose: (request) => request.headers.get('x-health-token') === 'secret',
    });
    expect(await (await get(health, '/healthz?verbose=1')).json()).toEqual({ status: 'warn' });
    const allowed = await (
      await get(health, '/healthz?verbose=1', { headers: { 'x-health-token': 'secret' } })
    ).json();
    expect(allowed.checks['redis:responseTime'][0].output).toContain('ECONNREFUSED');
  });

  it('hides details by default in production', async () => {
    const previous = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      const health = createHealth({ checks: [cache], started: true });
      expect(await (await get(health, '/readyz?verbose')).json()).toEqual({ status: 'warn' });
    } finally {
      process.env.NODE_ENV = previous;
    }
  });

  it('answers 503 with notes while not started, and 200 once started, on /startupz and /readyz', async () => {
    const health = createHealth({ verbose: true });
    const before = await get(health, '/startupz?verbose');
    expect(before.status).toBe(503);
    expect(await before.json()).toEqual({ status: 'fail', notes: ['not started'], checks: {} });
    expect((await get(health, '/readyz')).status).toBe(503);
    expect((await get(health, '/livez')).status).toBe(200);
    health.markStarted();
    expect((await get(health, '/startupz')).status).toBe(200);
    expect((await get(health, '/readyz')).status).toBe(200);
  });

  it('answers HEAD with the status and no body', async () => {
    const health = createHealth({ started: true });
    const response = await get(health, '/readyz', { method: 'HEAD' });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('');
  });

  it('answers 405 problem+json with Allow for other methods', async () => {
    const health = createHealth({ started: true });
    const response = await get(health, '/readyz', { method: 'POST' });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, HEAD');
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(await response.json()).toMatchObject({ status: 405, title: 'Method Not Allowed' });
  });

  it('answers 400 problem+json for a verbose value it does not understand', async () => {
    const health = createHealth({ started: true });
    const response = await get(health, '/readyz?verbose=maybe');
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ status: 400, detail: expect.stringContaining('"maybe"') });
  });

  it('serves configured paths and leaves other paths to the caller', async () => {
    const health = createHealth({ started: true, paths: { readiness: '/ops/ready' } });
    expect((await get(health, '/ops/ready')).status).toBe(200);
    expect(await health.handle(new Request('http://x/readyz'))).toBeUndefined();
    const missing = await get(health, '/readyz');
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toBe('application/problem+json');
  });
});
