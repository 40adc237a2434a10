// The seam doubles pass the same contract suites as the real things: recordingLogger() and real pino,
// recordingEventSink() and @plinth/services' memory sink.
import { memorySink } from '@plinth/services';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import {
  type LoggedLine,
  recordingEventSink,
  recordingLogger,
  testEventSink,
  testLogger,
} from '../src/index.js';

const labels: Record<number, string> = {
  10: 'trace',
  20: 'debug',
  30: 'info',
  40: 'warn',
  50: 'error',
  60: 'fatal',
};

testLogger({ describe, it }, 'pino 10', () => {
  const written: string[] = [];
  const logger = pino({ level: 'info', base: null }, { write: (line: string) => written.push(line) });
  return {
    logger,
    lines: () =>
      written.map((line) => {
        const parsed = JSON.parse(line) as LoggedLine & { level: number };
        return { ...parsed, level: labels[parsed.level] ?? String(parsed.level) };
      }),
  };
});

testLogger({ describe, it }, 'recordingLogger()', () => {
  const logger = recordingLogger({ level: 'info' });
  return { logger, lines: () => logger.entries as LoggedLine[] };
});

testEventSink({ describe, it }, '@plinth/services memorySink()', () => {
  const sink = memorySink();
  return { sink, accepted: async () => sink.messages.map((message) => message.id) };
});

testEventSink({ describe, it }, 'recordingEventSink()', () => {
  const sink = recordingEventSink();
  return { sink, accepted: async () => sink.messages.map((message) => message.id) };
});

const message = (id: string, type = 'order.placed') => ({
  id,
  type,
  payload: {},
  headers: {},
  createdAt: new Date(0),
  attempt: 1,
});

describe('recordingEventSink()', () => {
  it('fails the next sends on purpose, then accepts again', async () => {
    const sink = recordingEventSink();
    sink.fail(2, new Error('broker down'));
    const signal = new AbortController().signal;
    await expect(sink.send(message('a'), signal)).rejects.toThrow('broker down');
    await expect(sink.send(message('a'), signal)).rejects.toThrow('broker down');
    await sink.send(message('a'), signal);
    expect(sink.messages.map((m) => m.id)).toEqual(['a']);
  });

  it('waits for deliveries and filters by type', async () => {
    const sink = recordingEventSink();
    const waiting = sink.waitFor(2);
    const signal = new AbortController().signal;
    await sink.send(message('a'), signal);
    queueMicrotask(() => void sink.send(message('b', 'order.cancelled'), signal));
    expect((await waiting).map((m) => m.id)).toEqual(['a', 'b']);
    expect(sink.ofType('order.cancelled').map((m) => m.id)).toEqual(['b']);
  });

  it('says how many arrived when waiting times out', async () => {
    const sink = recordingEventSink();
    await expect(sink.waitFor(1, { timeout: 20 })).rejects.toThrow(/0 of 1 messages arrived within 20 ms/);
  });

  it('refuses a send whose signal is already aborted', async () => {
    const sink = recordingEventSink();
    const controller = new AbortController();
    controller.abort(new Error('relay gave up'));
    await expect(sink.send(message('a'), controller.signal)).rejects.toThrow('relay gave up');
    expect(sink.messages).toEqual([]);
  });
});

describe('recordingLogger()', () => {
  it('finds lines by level and message, children included', () => {
    const logger = recordingLogger({ bindings: { service: 'billing' } });
    logger.child({ requestId: 'r1' }).warn({ attempt: 2 }, 'retrying charge %s', 'ch_1');
    logger.debug('noise');
    expect(logger.find('warn', /retrying/)).toEqual([
      { service: 'billing', requestId: 'r1', attempt: 2, level: 'warn', msg: 'retrying charge ch_1' },
    ]);
    expect(logger.find('debug')).toHaveLength(1);
    logger.clear();
    expect(logger.entries).toEqual([]);
  });

  it('refuses an unknown level', () => {
    expect(() => recordingLogger({ level: 'verbose' as never })).toThrowError(
      /level must be one of trace, debug/,
    );
  });
});
