import { describe, expect, it, vi } from 'vitest';
import { captureLogger } from '../test/log-capture.js';
import { getLogger, getRequestContext, runWithContext, setDefaultLogger } from './context.js';

describe('request context', () => {
  it('returns the default logger outside a request, and the request one inside', async () => {
    const fallback = captureLogger();
    const inside = captureLogger();
    const previous = setDefaultLogger(fallback.logger);
    try {
      getLogger().info('outside');
      await runWithContext({ requestId: 'ctx-1', span: undefined, log: inside.logger }, async () => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        getLogger().info('inside');
        expect(getRequestContext()?.requestId).toBe('ctx-1');
      });
      expect(getRequestContext()).toBeUndefined();
      expect(fallback.lines().map((line) => line.msg)).toEqual(['outside']);
      expect(inside.lines().map((line) => line.msg)).toEqual(['inside']);
    } finally {
      if (previous !== undefined) setDefaultLogger(previous);
    }
  });

  it('shares one store between copies of the module (ESM and CJS builds loaded together)', async () => {
    vi.resetModules();
    const copy = await import('./context.js');
    expect(copy.runWithContext).not.toBe(runWithContext); // really a second module instance
    const log = captureLogger().logger;
    runWithContext({ requestId: 'shared', span: undefined, log }, () => {
      expect(copy.getRequestContext()?.requestId).toBe('shared');
    });
  });
});
