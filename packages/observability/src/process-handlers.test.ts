import { describe, expect, it } from 'vitest';
import { installProcessHandlers } from './process-handlers.js';

describe('installProcessHandlers', () => {
  it('adds one listener per event and removes them again', () => {
    const before = [process.listenerCount('uncaughtException'), process.listenerCount('unhandledRejection')];
    const uninstall = installProcessHandlers({ onFatal: () => undefined });
    expect(process.listenerCount('uncaughtException')).toBe((before[0] ?? 0) + 1);
    expect(process.listenerCount('unhandledRejection')).toBe((before[1] ?? 0) + 1);
    uninstall();
    expect([process.listenerCount('uncaughtException'), process.listenerCount('unhandledRejection')]).toEqual(
      before,
    );
  });

  it('rejects a non-positive timeout or exit code', () => {
    expect(() => installProcessHandlers({ timeoutMs: 0 })).toThrow(/timeoutMs must be a positive number/);
    expect(() => installProcessHandlers({ exitCode: 0 })).toThrow(/exitCode must be a positive integer/);
  });
});
