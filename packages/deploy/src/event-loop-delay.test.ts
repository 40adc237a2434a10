import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { DeployError } from './errors.js';
import { eventLoopDelayCheck } from './event-loop-delay.js';
import { createHealth } from './health.js';

function block(ms: number): void {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    // busy-wait: the event loop cannot turn
  }
}

describe('eventLoopDelayCheck', () => {
  it('passes on liveness when the loop turns freely', async () => {
    const check = eventLoopDelayCheck({ resolution: 10 });
    try {
      const health = createHealth({ checks: [check], verbose: true });
      await sleep(60);
      const response = await health.fetch(new Request('http://x/livez?verbose'));
      expect(response.status).toBe(200);
      const body = await response.json();
      expect(body.checks['event-loop:responseTime'][0]).toMatchObject({
        componentType: 'system',
        observedUnit: 'ms',
      });
    } finally {
      check.close();
    }
  });

  it('fails liveness after the loop was blocked past failAfter', async () => {
    const check = eventLoopDelayCheck({ resolution: 10, failAfter: 100, warnAfter: 50 });
    try {
      const health = createHealth({ checks: [check] });
      await sleep(30);
      block(300);
      await sleep(30);
      const report = await health.report('liveness');
      expect(report.status).toBe('fail');
      expect(report.checks[0]?.output).toMatch(/event-loop delay p99 [\d.]+ ms ≥ 100 ms/);
    } finally {
      check.close();
    }
  });

  it('rejects a resolution below 1 ms', () => {
    expect(() => eventLoopDelayCheck({ resolution: 0 })).toThrow(DeployError);
  });
});
