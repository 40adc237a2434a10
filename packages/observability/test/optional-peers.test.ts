import { describe, expect, it } from 'vitest';
import { startFixture } from './child-process.js';

describe('when the optional peers are not installed (child process)', () => {
  it('explains pretty: true, falls back to JSON in development, and traces with the built-in span', async () => {
    const child = startFixture('absent-peers.ts', {
      nodeArgs: ['--import', './test/fixtures/hide-modules.mjs'],
      env: { PLINTH_HIDE: 'pino-pretty,@opentelemetry/api' },
    });
    const { report } = (await child.waitFor('report')) as { report: Record<string, unknown> };
    expect(await child.exited).toBe(0);
    expect(report.explicitPretty).toEqual({
      code: 'ERR_OBSERVABILITY_PRETTY_UNAVAILABLE',
      message: expect.stringContaining('pnpm add -D pino-pretty'),
    });
    expect(report.developmentFallback).toEqual([
      expect.objectContaining({ level: 40, msg: expect.stringContaining('pino-pretty is not installed') }),
      expect.objectContaining({ level: 30, msg: 'still logging' }),
    ]);
    expect(report.otelLoaded).toBe(false);
    expect(report.span).toEqual({
      kind: 'builtin',
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      durationMs: 'number',
    });
  });
});
