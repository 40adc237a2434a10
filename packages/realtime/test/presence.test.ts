// Presence on the memory store and on Redis: join/leave events across two instances, one member with
// several connections, and the members of a dead instance expiring with a leave announced once.
import type { Redis } from 'ioredis';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import {
  type Broker,
  createPresence,
  memoryBroker,
  memoryPresenceStore,
  type PresenceEvent,
} from '../src/index.js';
import { redisBroker, redisPresenceStore } from '../src/redis.js';
import { dropPrefix, redisClient, redisUp, testPrefix } from './support/servers.js';

const prefix = testPrefix('presence');
const clients: Redis[] = [];
const client = () => {
  const made = redisClient();
  clients.push(made);
  return made;
};
afterAll(async () => {
  if (clients[0]) await dropPrefix(clients[0], prefix);
  await Promise.all(clients.map((made) => made.quit()));
});

const stores = [
  ['memory', () => ({ store: memoryPresenceStore(), broker: memoryBroker() as Broker }), true] as const,
  [
    'redis',
    () => ({
      store: redisPresenceStore({ client: client(), prefix }),
      broker: redisBroker({ client: client(), prefix }),
    }),
    redisUp,
  ] as const,
];

describe.each(stores)('presence on %s', (_name, make, available) => {
  const closers: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
  });

  it.skipIf(!available)('announces joins and leaves across instances and lists members once', async () => {
    let time = 1_000;
    const shared = make();
    const channel = `room-${Date.now()}`;
    const a = createPresence({ ...shared, heartbeatMs: 0, ttlMs: 1000, now: () => time });
    const b = createPresence({ ...shared, heartbeatMs: 0, ttlMs: 1000, now: () => time });
    closers.push(() => shared.broker.close());
    const events: PresenceEvent[] = [];
    await a.subscribe(channel, (event) => events.push(event));
    const until = async (count: number) => {
      while (events.length < count) await new Promise((resolve) => setImmediate(resolve));
    };
    await a.join(channel, 'ada');
    await b.join(channel, 'ada');
    await b.join(channel, 'bob');
    await until(2);
    expect(await a.members(channel)).toEqual(['ada', 'bob']);
    await a.leave(channel, 'ada');
    expect(await b.members(channel)).toEqual(['ada', 'bob']);
    await b.leave(channel, 'ada');
    await until(3);
    expect(events).toEqual([
      { type: 'join', channel, member: 'ada' },
      { type: 'join', channel, member: 'bob' },
      { type: 'leave', channel, member: 'ada' },
    ]);
    // b dies without leaving; a's heartbeats after the TTL expire bob, announced once.
    time += 1500;
    await Promise.all([a.heartbeat(), a.heartbeat()]);
    await until(4);
    expect(events[3]).toEqual({ type: 'leave', channel, member: 'bob' });
    expect(await a.members(channel)).toEqual([]);
    await a.heartbeat();
    expect(events).toHaveLength(4);
  });

  it.skipIf(!available)('keeps a member with two connections present until both left', async () => {
    const shared = make();
    const channel = `room2-${Date.now()}`;
    const presence = createPresence({ ...shared, heartbeatMs: 0 });
    closers.push(() => shared.broker.close());
    await presence.join(channel, 'ada');
    await presence.join(channel, 'ada');
    await presence.leave(channel, 'ada');
    expect(await presence.members(channel)).toEqual(['ada']);
    await presence.leave(channel, 'ada');
    expect(await presence.members(channel)).toEqual([]);
  });
});
