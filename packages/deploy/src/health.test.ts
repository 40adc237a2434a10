import { describe, expect, it } from 'vitest';
import vectors from '../test/vectors/status.json' with { type: 'json' };
import type { Check, HealthStatus } from './check.js';
import { DeployError } from './errors.js';
import { createHealth } from './health.js';

const fixed = (name: string, status: HealthStatus, critical = true): Check => ({
  name,
  critical,
  run: () => {
    if (status === 'fail') throw new Error(`${name} is down`);
    return { status };
  },
});

describe('createHealth', () => {
  for (const vector of vectors) {
    it(`summarises checks: ${vector.name}`, async () => {
      const checks = vector.checks.map((check, index) =>
        fixed(`c${index}`, check.status as HealthStatus, check.critical),
      );
      const health = createHealth({ checks, started: true });
      const report = await health.report('readiness');
      expect(report.status).toBe(vector.status);
      const response = await health.fetch(new Request('http://x/readyz'));
      expect(response.status).toBe(vector.http);
    });
  }

  it('fails readiness and startup until markStarted, without running the readiness checks', async () => {
    let runs = 0;
    const health = createHealth({ checks: [{ name: 'db', run: () => void runs++ }] });
    expect(await health.report('readiness')).toEqual({ status: 'fail', checks: [], notes: ['not started'] });
    expect((await health.report('startup')).status).toBe('fail');
    expect(runs).toBe(0);
    health.markStarted();
    expect(health.started).toBe(true);
    expect((await health.report('readiness')).status).toBe('pass');
    expect((await health.report('startup')).status).toBe('pass');
    expect(runs).toBe(1);
  });

  it('fails readiness once shutting down while liveness keeps passing', async () => {
    const health = createHealth({
      checks: [{ ...fixed('loop', 'pass'), kinds: ['liveness'] }],
      started: true,
    });
    health.markShuttingDown();
    expect(health.shuttingDown).toBe(true);
    expect(await health.report('readiness')).toMatchObject({ status: 'fail', notes: ['shutting down'] });
    expect((await health.report('liveness')).status).toBe('pass');
    const summary = await health.report('summary');
    expect(summary.status).toBe('fail');
    expect(summary.checks.map((check) => check.name)).toEqual(['loop']);
  });

  it('runs each probe only the checks of its kind, and the summary runs them all', async () => {
    const health = createHealth({
      started: true,
      checks: [
        { ...fixed('loop', 'pass'), kinds: ['liveness'] },
        fixed('db', 'pass'),
        { ...fixed('migrations', 'pass'), kinds: ['startup', 'readiness'] },
      ],
    });
    const names = async (kind: Parameters<typeof health.report>[0]) =>
      (await health.report(kind)).checks.map((check) => check.name);
    expect(await names('liveness')).toEqual(['loop']);
    expect(await names('readiness')).toEqual(['db', 'migrations']);
    expect(await names('startup')).toEqual(['migrations']);
    expect(await names('summary')).toEqual(['loop', 'db', 'migrations']);
  });

  it('refuses a second check with the same name', () => {
    const health = createHealth({ checks: [fixed('db', 'pass')] });
    expect(() => health.add(fixed('db', 'pass'))).toThrowError(
      expect.objectContaining({ code: 'ERR_DEPLOY_DUPLICATE_CHECK' }),
    );
  });

  it.each([
    ['a negative timeout', { timeout: -1 }],
    ['a NaN cache TTL', { cacheTtl: Number.NaN }],
    ['a path without a slash', { paths: { readiness: 'readyz' } }],
    ['a verbose option of the wrong type', { verbose: 'yes' as unknown as boolean }],
    ['a check without run', { checks: [{ name: 'x' } as unknown as Check] }],
    [
      'a check with an infinite timeout',
      { checks: [{ ...fixed('x', 'pass'), timeout: Number.POSITIVE_INFINITY }] },
    ],
  ])('rejects %s at creation with ERR_DEPLOY_INVALID_OPTION', (_, options) => {
    let error: unknown;
    try {
      createHealth(options);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(DeployError);
    expect((error as DeployError).code).toBe('ERR_DEPLOY_INVALID_OPTION');
  });
});
