// Reliability on loopback: two instances on one Redis (WebSocket broadcast and SSE resume across
// nodes and a restart), and one stalled client that must not hold back delivery to 1,000 others.
import type { Server } from 'node:http';
import type { Redis } from 'ioredis';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createEventHub, eventStreamResponse } from '../src/index.js';
import { redisBroker, redisReplayBuffer } from '../src/redis.js';
import { type Connection, createWebSocketServer } from '../src/ws.js';
import { dropPrefix, redisClient, redisUp, testPrefix } from './support/servers.js';
import { readEvents } from './support/sse-reader.js';
import { connect, listen, type TestClient } from './support/ws-clients.js';

const cleanup: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

async function httpServer(): Promise<{ server: Server; url: string }> {
  const started = await listen();
  cleanup.push(
    () =>
      new Promise((resolve) => {
        started.server.closeAllConnections();
        started.server.close(resolve);
      }),
  );
  return started;
}

describe.skipIf(!redisUp)('two instances on one Redis', () => {
  const prefix = testPrefix('reliability');
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

  async function instance() {
    const { server, url } = await httpServer();
    const broker = redisBroker({ client: client(), prefix });
    const ws = createWebSocketServer({
      server,
      path: '/ws',
      broker,
      onConnection: async (connection) => {
        await connection.join('room');
        connection.send('ready');
      },
      onMessage: (connection, message) => connection.broadcast('room', message),
    });
    cleanup.push(() => broker.close());
    cleanup.push(() => ws.close());
    return { ws, url };
  }

  it('delivers a broadcast published on A to a client connected to B', async () => {
    const a = await instance();
    const b = await instance();
    const onB = await connect(`${b.url}/ws`);
    await onB.received(1);
    await a.ws.broadcast('room', { from: 'A' });
    expect(await onB.received(2)).toEqual(['ready', { from: 'A' }]);
    onB.socket.close();
  });

  it('broadcasts a client message to the room on both instances, not back to its sender', async () => {
    const a = await instance();
    const b = await instance();
    const sender = await connect(`${a.url}/ws`);
    const sameNode = await connect(`${a.url}/ws`);
    const otherNode = await connect(`${b.url}/ws`);
    await Promise.all([sender.received(1), sameNode.received(1), otherNode.received(1)]);
    sender.socket.send(JSON.stringify({ text: 'hi all' }));
    expect(await otherNode.received(2)).toEqual(['ready', { text: 'hi all' }]);
    expect(await sameNode.received(2)).toEqual(['ready', { text: 'hi all' }]);
    // A marker after the message: once it arrived, the message would have too.
    await a.ws.broadcast('room', 'marker');
    expect(await sender.received(2)).toEqual(['ready', 'marker']);
    for (const made of [sender, sameNode, otherNode]) made.socket.close();
  });

  it('resumes an SSE client on another node after a restart with exactly the missed events', async () => {
    const channel = `team:${Date.now()}`;
    const hubA = createEventHub({
      broker: redisBroker({ client: client(), prefix }),
      replay: redisReplayBuffer({ client: client(), prefix }),
    });
    const ids: string[] = [];
    for (let n = 1; n <= 5; n++) ids.push((await hubA.publish(channel, { data: `e${n}` })).id);
    // Node A goes away; node B starts with connections of its own.
    await hubA.close();
    const brokerB = redisBroker({ client: client(), prefix });
    const hubB = createEventHub({ broker: brokerB, replay: redisReplayBuffer({ client: client(), prefix }) });
    cleanup.push(() => brokerB.close());
    const response = await eventStreamResponse(
      new Request('http://b/events', { headers: { 'last-event-id': ids[1]! } }),
      { hub: hubB, channel },
    );
    const reading = readEvents(response.body!, 4);
    const live = await hubB.publish(channel, { data: 'e6' });
    const { events } = await reading;
    expect(events.map((event) => event.data)).toEqual(['e3', 'e4', 'e5', 'e6']);
    expect(events.map((event) => event.lastEventId)).toEqual([ids[2], ids[3], ids[4], live.id]);
  });

  it('answers a Last-Event-ID that is not a stream id with 400', async () => {
    const hub = createEventHub({ replay: redisReplayBuffer({ client: client(), prefix }) });
    cleanup.push(() => hub.close());
    await expect(
      eventStreamResponse(new Request('http://b/events', { headers: { 'last-event-id': '42' } }), {
        hub,
        channel: 'x',
      }),
    ).rejects.toMatchObject({ status: 400, code: 'INVALID_LAST_EVENT_ID' });
  });
});

describe.each(['close', 'drop'] as const)('one stalled client among 1,000 (policy %s)', (policy) => {
  it('does not hold back delivery to the others', async () => {
    const { server, url } = await httpServer();
    const closes: number[] = [];
    let stalledConnection: Connection | undefined;
    const ws = createWebSocketServer({
      server,
      path: '/ws',
      heartbeatMs: 0,
      rateLimit: false,
      maxBufferedBytes: 256 * 1024,
      slowClient: policy,
      onConnection: async (connection) => {
        await connection.join('all');
        if (connection.request.url?.includes('stalled')) stalledConnection = connection;
        connection.send('ready');
      },
      onClose: (connection, code) => {
        if (connection === stalledConnection) closes.push(code);
      },
    });
    cleanup.push(() => ws.close());
    const stalled = await connect(`${url}/ws?stalled`);
    await stalled.received(1);
    (stalled.socket as unknown as { _socket: import('node:net').Socket })._socket.pause();
    // Fill the stalled client's buffers (kernel, then node) until it is over its limit.
    const chunk = 'z'.repeat(32 * 1024);
    while (stalledConnection!.send({ chunk })) await new Promise((resolve) => setImmediate(resolve));
    const others: TestClient[] = [];
    for (let batch = 0; batch < 10; batch++) {
      others.push(...(await Promise.all(Array.from({ length: 100 }, () => connect(`${url}/ws`)))));
    }
    cleanup.push(() => {
      for (const other of others) other.socket.terminate();
      stalled.socket.terminate();
    });
    await Promise.all(others.map((other) => other.received(1)));
    for (let n = 0; n < 20; n++) await ws.broadcast('all', { n });
    const received = await Promise.all(others.map((other) => other.received(21)));
    for (const messages of received)
      expect(messages.slice(1)).toEqual(Array.from({ length: 20 }, (_, n) => ({ n })));
    if (policy === 'close') {
      await new Promise<void>((resolve) => {
        const check = () => (closes.length > 0 ? resolve() : setImmediate(check));
        check();
      });
      expect(closes).toEqual([1006]);
    } else {
      expect(stalledConnection!.dropped).toBeGreaterThanOrEqual(21);
      expect(closes).toEqual([]);
    }
  }, 120_000);
});
