import { describe, expect, it, vi } from 'vitest';
import { RequestTimer, timingSettings } from './server-timing.js';

describe('RequestTimer', () => {
  it('gives a section its own time and the innermost next() to the handler (a fake clock)', async () => {
    let now = 0;
    const spy = vi.spyOn(performance, 'now').mockImplementation(() => now);
    try {
      const timer = new RequestTimer();
      const handler = async () => {
        now += 30;
        return new Response('ok');
      };
      const auth = (next: () => Promise<Response>) =>
        timer.section(
          'auth',
          async (timedNext) => {
            now += 5; // before
            const response = await timedNext();
            now += 2; // after
            return response;
          },
          next,
        );
      // As serverTiming() runs it: the outermost section, whose next() runs the timed middleware.
      await timer.section(
        undefined,
        (next) => next(),
        () => auth(handler),
      );
      expect(timer.entries).toEqual([
        { name: 'handler', duration: 30 },
        { name: 'auth', duration: 7 },
      ]);
      expect(timer.header(40, { p99: () => 1.234 })).toBe(
        'handler;dur=30, auth;dur=7, eventloop;desc="event-loop delay p99";dur=1.23, total;dur=40',
      );
    } finally {
      spy.mockRestore();
    }
  });

  it('makes names safe header tokens', () => {
    const timer = new RequestTimer();
    timer.add('db query', 1);
    expect(timer.header(1, undefined)).toBe('db_query;dur=1, total;dur=1');
  });

  it('logs only requests at or above the threshold', () => {
    const warn = vi.fn();
    const settings = timingSettings({ slowThreshold: 100, logger: { warn }, header: false });
    const timer = new RequestTimer();
    timer.logIfSlow(settings, 99, { method: 'GET', path: '/a' });
    expect(warn).not.toHaveBeenCalled();
    timer.logIfSlow(settings, 100, { method: 'GET', path: '/a', status: 200 });
    expect(warn).toHaveBeenCalledWith(
      { method: 'GET', path: '/a', status: 200, duration: 100, threshold: 100, timings: {} },
      'slow request',
    );
  });

  it('refuses a bad threshold or logger at creation', () => {
    expect(() => timingSettings({ slowThreshold: -1 })).toThrow(
      expect.objectContaining({ code: 'ERR_DEVTOOLS_INVALID_OPTION' }),
    );
    expect(() => timingSettings({ logger: {} as never })).toThrow(/warn/);
  });

  it('is off in production unless asked for', () => {
    const previous = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      expect(timingSettings().active).toBe(false);
      expect(timingSettings({ header: true }).header).toBe(true);
      expect(timingSettings({ slowThreshold: 500 })).toMatchObject({ active: true, header: false });
    } finally {
      process.env.NODE_ENV = previous;
    }
  });
});
