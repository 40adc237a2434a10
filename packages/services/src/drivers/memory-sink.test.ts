// The memory sink passes the EventSink contract, and fails on purpose when told to.
import { describe, expect, it } from 'vitest';
import { testEventSink } from '../testing.js';
import { memorySink } from './memory-sink.js';

const sink = memorySink();
testEventSink('memory', async () => ({ sink, received: async () => sink.messages }), { describe, it });

describe('memorySink', () => {
  it('rejects the next n sends with the given error, then accepts again', async () => {
    const failing = memorySink();
    const error = new Error('broker down');
    failing.fail(2, error);
    const message = { id: 'm', type: 't', payload: 1, headers: {}, createdAt: new Date(), attempt: 1 };
    const signal = new AbortController().signal;
    await expect(failing.send(message, signal)).rejects.toBe(error);
    await expect(failing.send(message, signal)).rejects.toBe(error);
    await failing.send(message, signal);
    expect(failing.messages).toEqual([message]);
  });
});
