import { createEventHub } from '@plinth/realtime';
import { describe, expect, it } from 'vitest';
import { recordingBroker } from './recording-broker.js';

describe('recordingBroker()', () => {
  it('records what @plinth/realtime publishes and who follows a channel', async () => {
    const broker = recordingBroker();
    const hub = createEventHub({ broker });
    const follow = await hub.follow('team:7');
    const seen: unknown[] = [];
    follow.start((event) => seen.push(JSON.parse(event.data)));
    expect(broker.subscribers('sse:team:7')).toBe(1);

    await hub.publish('team:7', { event: 'task', data: { id: 42 } });
    expect(seen).toEqual([{ id: 42 }]);
    expect(broker.published).toEqual([{ channel: 'sse:team:7', message: expect.any(String) }]);
    expect(JSON.parse(broker.messages('sse:team:7')[0] ?? '')).toMatchObject({ event: 'task' });

    await follow.stop();
    expect(broker.subscribers('sse:team:7')).toBe(0);
  });

  it('shares one transport and record between connected instances; close ends one instance only', async () => {
    const first = recordingBroker();
    const second = first.connect();
    const onFirst: string[] = [];
    const onSecond: string[] = [];
    await first.subscribe('news', (message) => onFirst.push(message));
    await second.subscribe('news', (message) => onSecond.push(message));
    await second.publish('news', 'hello');
    expect([onFirst, onSecond]).toEqual([['hello'], ['hello']]);
    expect(first.messages('news')).toEqual(['hello']);

    await second.close();
    expect(second.closed).toBe(true);
    expect(first.subscribers('news')).toBe(1);
    await first.publish('news', 'again');
    expect([onFirst, onSecond]).toEqual([['hello', 'again'], ['hello']]);
    await expect(second.publish('news', 'x')).rejects.toMatchObject({ code: 'ERR_REALTIME_CLOSED' });
    first.clear();
    expect(first.published).toEqual([]);
  });

  it('records what a listener throws, hands it to onError, and delivers to the others', async () => {
    const reported: unknown[] = [];
    const broker = recordingBroker({ onError: (error) => reported.push(error) });
    const bug = new Error('listener bug');
    const received: string[] = [];
    await broker.subscribe('c', () => {
      throw bug;
    });
    await broker.subscribe('c', (message) => received.push(message));
    await broker.publish('c', 'm');
    expect(received).toEqual(['m']);
    expect(broker.errors).toEqual([bug]);
    expect(reported).toEqual([bug]);
  });

  it('refuses an empty channel with the code @plinth/realtime uses', async () => {
    await expect(recordingBroker().subscribe('', () => undefined)).rejects.toMatchObject({
      code: 'ERR_REALTIME_INVALID_CHANNEL',
    });
  });
});
