import { describe, expect, it } from 'vitest';
import { parseEventStream } from '../test/support/sse-reader.js';
import { formatComment, formatEvent, jitteredRetry } from './sse-format.js';

describe('formatEvent', () => {
  it('writes id, event, retry and one data line per line of the payload', () => {
    expect(formatEvent({ id: '7', event: 'task', retry: 2500, data: 'a\nb' })).toBe(
      'id: 7\nevent: task\nretry: 2500\ndata: a\ndata: b\n\n',
    );
  });

  it('sends objects as JSON and an empty string as one empty data line', () => {
    expect(formatEvent({ data: { n: 1 } })).toBe('data: {"n":1}\n\n');
    expect(formatEvent({ data: '' })).toBe('data: \n\n');
  });

  it.each([
    ['LF', 'one\ntwo'],
    ['CR', 'one\rtwo'],
    ['CRLF', 'one\r\ntwo'],
    ['a leading colon and spaces', ': not a comment\n  two spaces'],
    ['trailing line break', 'end\n'],
  ])('round-trips data with %s through the WHATWG parsing rules', (_name, data) => {
    const parsed = parseEventStream(formatEvent({ id: '1', data }));
    expect(parsed.events).toEqual([
      { type: 'message', data: data.replace(/\r\n|\r/g, '\n'), lastEventId: '1' },
    ]);
  });

  it('refuses an id with NULL, CR or LF and an event name with a line break', () => {
    expect(() => formatEvent({ id: 'a\0b', data: 'x' })).toThrow(
      expect.objectContaining({ code: 'ERR_REALTIME_INVALID_EVENT' }),
    );
    expect(() => formatEvent({ id: 'a\nb', data: 'x' })).toThrow(/must not contain/);
    expect(() => formatEvent({ event: 'a\rb', data: 'x' })).toThrow(/must not contain CR or LF/);
    expect(() => formatEvent({ retry: -1, data: 'x' })).toThrow(/retry must be/);
  });
});

describe('formatComment and jitteredRetry', () => {
  it('writes comments the parser ignores', () => {
    expect(formatComment()).toBe(':\n\n');
    expect(formatComment('ping\nagain')).toBe(': ping\n: again\n\n');
    expect(parseEventStream(formatComment('x')).events).toEqual([]);
  });

  it('keeps the retry between the base and base × (1 + jitter)', () => {
    expect(jitteredRetry(3000, 0.5, () => 0)).toBe(3000);
    expect(jitteredRetry(3000, 0.5, () => 0.999_999)).toBe(4500);
    expect(jitteredRetry(3000, 0.5, () => 0.5)).toBe(3750);
  });
});
