// vitest's fake timers drive this package's time-based parts (and any package timer written with the
// global setTimeout/Date): cookie expiry, waitFor() deadlines; eventually() keeps polling on real time.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CookieJar, eventually, recordingEventSink } from '../src/index.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('under vi.useFakeTimers()', () => {
  it('a Max-Age cookie expires when the fake clock passes it', () => {
    vi.useFakeTimers({ now: new Date('2026-01-01T00:00:00Z') });
    const jar = new CookieJar();
    jar.store(['session=abc; Max-Age=60; Path=/']);
    vi.advanceTimersByTime(59_000);
    expect(jar.header('/')).toBe('session=abc');
    vi.advanceTimersByTime(1_000);
    expect(jar.header('/')).toBeUndefined();
  });

  it('an Expires cookie follows vi.setSystemTime()', () => {
    vi.useFakeTimers({ now: new Date('2026-01-01T00:00:00Z') });
    const jar = new CookieJar();
    jar.store(['remember=1; Expires=Thu, 01 Jan 2026 01:00:00 GMT']);
    expect(jar.get('remember')).toBe('1');
    vi.setSystemTime(new Date('2026-01-01T01:00:01Z'));
    expect(jar.get('remember')).toBeUndefined();
  });

  it('waitFor() times out on the fake clock, without waiting for real', async () => {
    vi.useFakeTimers();
    const sink = recordingEventSink();
    const waiting = sink.waitFor(1, { timeout: 60_000 });
    const verdict = expect(waiting).rejects.toThrow(/0 of 1 messages arrived within 60000 ms/);
    await vi.advanceTimersByTimeAsync(60_000);
    await verdict;
  });

  it('eventually() still polls (it sleeps on node:timers/promises, which vitest does not fake)', async () => {
    vi.useFakeTimers();
    let attempts = 0;
    const value = await eventually(() => {
      attempts++;
      if (attempts < 3) throw new Error('not yet');
      return attempts;
    });
    expect(value).toBe(3);
  });

  it('a retry loop on the global setTimeout advances with the fake clock', async () => {
    vi.useFakeTimers();
    const delays: number[] = [];
    async function retry(fn: () => Promise<void>, attempts: number) {
      for (let attempt = 1; ; attempt++) {
        try {
          return await fn();
        } catch (error) {
          if (attempt === attempts) throw error;
          const delay = 100 * 2 ** (attempt - 1);
          delays.push(delay);
          await new Promise((resolve) => setTimeout(resolve, delay));
        }
      }
    }
    let calls = 0;
    const done = retry(async () => {
      calls++;
      if (calls < 4) throw new Error('flaky');
    }, 5);
    await vi.runAllTimersAsync();
    await done;
    expect(delays).toEqual([100, 200, 400]);
  });
});

describe('eventually()', () => {
  it('fails after its timeout, naming the last failure', async () => {
    await expect(
      eventually(
        () => {
          throw new Error('queue still empty');
        },
        { timeout: 30, interval: 5 },
      ),
    ).rejects.toMatchObject({
      code: 'ERR_TESTING_EVENTUALLY_TIMEOUT',
      message: expect.stringMatching(/after 30 ms \(\d+ attempts\): queue still empty/),
    });
  });

  it('refuses a negative interval', async () => {
    await expect(eventually(() => 1, { interval: -1 })).rejects.toMatchObject({
      code: 'ERR_TESTING_INVALID_OPTION',
    });
  });
});
