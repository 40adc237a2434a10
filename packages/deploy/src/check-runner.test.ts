import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import type { Check } from './check.js';
import { createCheckRunner } from './check-runner.js';
import { CheckTimeoutError } from './errors.js';

const settings = { timeout: 1000, cacheTtl: 0 };

describe('createCheckRunner', () => {
  it('passes when the check resolves and records its duration as a response time', async () => {
    const result = await createCheckRunner({ name: 'ok', run: () => undefined }, settings).result();
    expect(result).toMatchObject({ name: 'ok', status: 'pass', critical: true, observedUnit: 'ms' });
    expect(typeof result.observedValue).toBe('number');
    expect(new Date(result.time).toISOString()).toBe(result.time);
  });

  it('fails with the error message when the check throws, synchronously or not', async () => {
    const sync = await createCheckRunner(
      {
        name: 's',
        run: () => {
          throw new Error('boom');
        },
      },
      settings,
    ).result();
    const async = await createCheckRunner(
      { name: 'a', run: async () => Promise.reject(new Error('down')) },
      settings,
    ).result();
    expect(sync).toMatchObject({ status: 'fail', output: 'boom' });
    expect(async).toMatchObject({ status: 'fail', output: 'down' });
  });

  it('keeps a warn outcome and the observed value the check reports', async () => {
    const check: Check = {
      name: 'disk',
      run: () => ({ status: 'warn', observedValue: 91, observedUnit: '%', output: 'almost full' }),
    };
    expect(await createCheckRunner(check, settings).result()).toMatchObject({
      status: 'warn',
      observedValue: 91,
      observedUnit: '%',
      output: 'almost full',
    });
  });

  it('fails a check that outlives its timeout and aborts its signal with a CheckTimeoutError', async () => {
    let reason: unknown;
    const check: Check = {
      name: 'slow',
      timeout: 30,
      run: (signal) =>
        new Promise<void>((resolve) => {
          signal.addEventListener('abort', () => {
            reason = signal.reason;
            resolve();
          });
        }),
    };
    const result = await createCheckRunner(check, settings).result();
    expect(result.status).toBe('fail');
    expect(result.output).toContain('did not finish within 30 ms');
    expect(reason).toBeInstanceOf(CheckTimeoutError);
    expect((reason as CheckTimeoutError).code).toBe('ERR_DEPLOY_CHECK_TIMEOUT');
  });

  it('fails by its timeout even when the check ignores the signal', async () => {
    const check: Check = { name: 'deaf', timeout: 20, run: () => new Promise<void>(() => {}) };
    expect((await createCheckRunner(check, settings).result()).status).toBe('fail');
  });

  it('shares one in-flight run among concurrent callers (single-flight)', async () => {
    let runs = 0;
    const check: Check = {
      name: 'db',
      run: async () => {
        runs++;
        await sleep(20);
      },
    };
    const runner = createCheckRunner(check, settings);
    const results = await Promise.all(Array.from({ length: 50 }, () => runner.result()));
    expect(runs).toBe(1);
    expect(new Set(results).size).toBe(1);
  });

  it('reuses a result for the TTL, failures included, then runs again', async () => {
    let runs = 0;
    const runner = createCheckRunner(
      {
        name: 'db',
        cacheTtl: 60,
        run: () => {
          runs++;
          throw new Error('down');
        },
      },
      settings,
    );
    await runner.result();
    await runner.result();
    expect(runs).toBe(1);
    await sleep(90);
    await runner.result();
    expect(runs).toBe(2);
  });

  it('runs every time with a TTL of 0', async () => {
    let runs = 0;
    const runner = createCheckRunner({ name: 'x', run: () => void runs++ }, settings);
    await runner.result();
    await runner.result();
    expect(runs).toBe(2);
  });
});
