import { describe, expect, it } from 'vitest';
import { memoryReplayBuffer } from './memory-replay.js';

describe('memoryReplayBuffer', () => {
  it('replays the events after an id, complete while nothing after it was trimmed', async () => {
    const buffer = memoryReplayBuffer({ size: 3 });
    for (const data of ['a', 'b', 'c']) await buffer.append('x', { data });
    await buffer.append('other', { data: 'o' });
    expect(await buffer.since('x', '1')).toEqual({
      events: [
        { id: '2', event: undefined, data: 'b' },
        { id: '3', event: undefined, data: 'c' },
      ],
      complete: true,
    });
    await buffer.append('x', { data: 'd' });
    expect((await buffer.since('x', '1')).complete).toBe(true);
    await buffer.append('x', { data: 'e' });
    expect(await buffer.since('x', '1')).toMatchObject({ complete: false });
    expect((await buffer.since('x', '0')).events.map((event) => event.data)).toEqual(['c', 'd', 'e']);
  });

  it('marks an id from an earlier process as incomplete and refuses a malformed one', async () => {
    const buffer = memoryReplayBuffer();
    await buffer.append('x', { data: 'a' });
    expect(await buffer.since('x', '99')).toMatchObject({ complete: false });
    await expect(buffer.since('x', '-1')).rejects.toMatchObject({
      code: 'INVALID_LAST_EVENT_ID',
      status: 400,
    });
    await expect(buffer.since('x', '1e3')).rejects.toThrow(/not an id this stream issued/);
  });
});
