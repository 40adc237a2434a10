// WebSocket endpoints on a plain node:http server with real ws clients: routing, authentication,
// channels, validation, heartbeats, payload, buffer and rate limits.
import type { Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { z } from 'zod';
import { type Connection, createWebSocketServer } from '../src/ws.js';
import { connect, listen, refused, track } from './support/ws-clients.js';

function close(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise<void>((resolve) => server.close(() => resolve()));
}

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

async function endpoint<User = undefined>(
  options: Omit<Parameters<typeof createWebSocketServer<User, unknown>>[0], 'server' | 'path'> & {
    path?: string;
  } = {},
  existing?: { server: Server; url: string },
) {
  const { server, url } = existing ?? (await listen());
  if (!existing) cleanup.push(() => close(server));
  const ws = createWebSocketServer<User, unknown>({ server, path: '/ws', ...options });
  cleanup.push(() => ws.close());
  return { ws, server, url };
}

describe('routing and authentication', () => {
  it('opens a connection on its path and answers 404 problem+json on another', async () => {
    const { url } = await endpoint();
    const client = await connect(`${url}/ws?token=1`);
    expect(client.socket.readyState).toBe(WebSocket.OPEN);
    client.socket.close();
    const answer = await refused(`${url}/elsewhere`);
    expect(answer).toMatchObject({
      status: 404,
      type: 'application/problem+json',
      body: { status: 404, code: 'NOT_FOUND' },
    });
  });

  it('serves two paths on one server, each with its own handlers', async () => {
    const first = await endpoint({ onConnection: (connection) => void connection.send('one') });
    await endpoint({ path: '/two', onConnection: (connection) => void connection.send('two') }, first);
    const a = await connect(`${first.url}/ws`);
    const b = await connect(`${first.url}/two`);
    expect(await a.received(1)).toEqual(['one']);
    expect(await b.received(1)).toEqual(['two']);
    a.socket.close();
    b.socket.close();
  });

  it('refuses a second endpoint on the same path with ERR_REALTIME_PATH_TAKEN', async () => {
    const first = await endpoint();
    expect(() => createWebSocketServer({ server: first.server, path: '/ws' })).toThrow(
      expect.objectContaining({ code: 'ERR_REALTIME_PATH_TAKEN' }),
    );
  });

  it('refuses the upgrade with the thrown status before any socket opens', async () => {
    let opened = 0;
    const { url } = await endpoint<{ name: string }>({
      authenticate: (request) => {
        if (request.headers.authorization !== 'Bearer good') {
          throw Object.assign(new Error('a valid bearer token is required'), {
            status: 401,
            headers: { 'WWW-Authenticate': 'Bearer' },
          });
        }
        return { name: 'ada' };
      },
      onConnection: (connection) => {
        opened++;
        connection.send({ hello: connection.user.name });
      },
    });
    const answer = await refused(`${url}/ws`, { headers: { authorization: 'Bearer bad' } });
    expect(answer.status).toBe(401);
    expect(answer.body).toEqual({
      type: 'about:blank',
      title: 'Unauthorized',
      status: 401,
      detail: 'a valid bearer token is required',
      code: 'UNAUTHORIZED',
    });
    expect(opened).toBe(0);
    const client = await connect(`${url}/ws`, { headers: { authorization: 'Bearer good' } });
    expect(await client.received(1)).toEqual([{ hello: 'ada' }]);
    client.socket.close();
  });

  it('answers 500 without internals when authenticate fails unexpectedly', async () => {
    const { url } = await endpoint({
      authenticate: () => {
        throw new Error('ECONNREFUSED 10.0.0.3:5432');
      },
    });
    const answer = await refused(`${url}/ws`);
    expect(answer.status).toBe(500);
    expect(JSON.stringify(answer.body)).not.toContain('ECONNREFUSED');
  });
});

describe('channels', () => {
  it('delivers a broadcast to the members of a channel only, and not after leave', async () => {
    const joined: Connection[] = [];
    const { ws, url } = await endpoint({
      onConnection: async (connection) => {
        const room = new URL(connection.request.url ?? '/', 'http://x').searchParams.get('room');
        if (room) await connection.join(room);
        joined.push(connection);
        connection.send('ready');
      },
    });
    const a = await connect(`${url}/ws?room=red`);
    const b = await connect(`${url}/ws?room=red`);
    const c = await connect(`${url}/ws?room=blue`);
    await Promise.all([a.received(1), b.received(1), c.received(1)]);
    await ws.broadcast('red', { n: 1 });
    expect(await a.received(2)).toEqual(['ready', { n: 1 }]);
    expect(await b.received(2)).toEqual(['ready', { n: 1 }]);
    const memberA = joined.find((connection) => connection.channels.has('red'))!;
    await memberA.leave('red');
    await ws.broadcast('red', { n: 2 });
    await ws.broadcast('blue', { n: 3 });
    expect(await c.received(2)).toEqual(['ready', { n: 3 }]);
    const other = a.messages.length === 2 && b.messages.length >= 2 ? b : a;
    expect(await other.received(3)).toEqual(['ready', { n: 1 }, { n: 2 }]);
    const left = other === a ? b : a;
    expect(left.messages).toEqual(['ready', { n: 1 }]);
    for (const client of [a, b, c]) client.socket.close();
  });

  it('broadcasts a client message to the others of its channel but not back to the sender', async () => {
    const { url } = await endpoint({
      onConnection: async (connection) => {
        await connection.join('chat');
        connection.send('ready');
      },
      onMessage: (connection, message) => connection.broadcast('chat', message),
    });
    const [a, b, c] = await Promise.all([connect(`${url}/ws`), connect(`${url}/ws`), connect(`${url}/ws`)]);
    await Promise.all([a.received(1), b.received(1), c.received(1)]);
    a.socket.send(JSON.stringify({ text: 'hi' }));
    expect(await b.received(2)).toEqual(['ready', { text: 'hi' }]);
    expect(await c.received(2)).toEqual(['ready', { text: 'hi' }]);
    b.socket.send(JSON.stringify({ text: 'back' }));
    expect(await a.received(2)).toEqual(['ready', { text: 'back' }]);
    expect(await c.received(3)).toEqual(['ready', { text: 'hi' }, { text: 'back' }]);
    expect(b.messages).toEqual(['ready', { text: 'hi' }]);
    for (const client of [a, b, c]) client.socket.close();
  });
  it('keeps the order of the sends and broadcasts of one turn and writes them before a close in it', async () => {
    let member: Connection<undefined> | undefined;
    const { ws, url } = await endpoint({
      onConnection: async (connection) => {
        await connection.join('room');
        member = connection;
        connection.send('ready');
      },
    });
    const client = await connect(`${url}/ws`);
    await client.received(1);
    // One synchronous turn (the memory broker delivers inside publish): the first frame is
    // written at once, the others queued behind it.
    member!.send({ n: 1 });
    void ws.broadcast('room', { n: 2 });
    void ws.broadcast('room', { n: 3 }, { except: member });
    member!.send({ n: 4 });
    void ws.broadcast('room', { n: 5 });
    member!.close(4000, 'done');
    expect(await client.closed).toEqual({ code: 4000, reason: 'done' });
    expect(client.messages).toEqual(['ready', { n: 1 }, { n: 2 }, { n: 4 }, { n: 5 }]);
  });
});

describe('incoming messages', () => {
  const schema = z.object({ type: z.literal('say'), text: z.string().max(20) });

  it('hands valid messages to onMessage in order and closes 1008 on a schema failure', async () => {
    const seen: unknown[] = [];
    const { url } = await endpoint({ schema, onMessage: (_connection, message) => void seen.push(message) });
    const client = await connect(`${url}/ws`);
    client.socket.send(JSON.stringify({ type: 'say', text: 'one' }));
    client.socket.send(JSON.stringify({ type: 'say', text: 'two' }));
    client.socket.send(JSON.stringify({ type: 'say', text: 42 }));
    const closed = await client.closed;
    expect(closed.code).toBe(1008);
    expect(closed.reason).toMatch(/^invalid message: \/text: /);
    expect(seen).toEqual([
      { type: 'say', text: 'one' },
      { type: 'say', text: 'two' },
    ]);
  });

  it('keeps arrival order with an async schema', async () => {
    const seen: unknown[] = [];
    const asyncSchema = z.object({ n: z.number() }).refine(async () => true);
    const { url } = await endpoint({
      schema: asyncSchema,
      onMessage: (connection, message) => {
        seen.push(message);
        if (seen.length === 20) connection.send('done');
      },
    });
    const client = await connect(`${url}/ws`);
    for (let n = 0; n < 20; n++) client.socket.send(JSON.stringify({ n }));
    await client.received(1);
    expect(seen).toEqual(Array.from({ length: 20 }, (_, n) => ({ n })));
    client.socket.close();
  });

  it('closes 1007 on a message that is not JSON and 1003 on a binary message', async () => {
    const { url } = await endpoint({ schema });
    const a = await connect(`${url}/ws`);
    a.socket.send('{not json');
    expect(await a.closed).toEqual({ code: 1007, reason: 'message is not valid JSON' });
    const b = await connect(`${url}/ws`);
    b.socket.send(Buffer.from([1, 2, 3]));
    expect((await b.closed).code).toBe(1003);
  });

  it('closes a 10 MB frame with 1009 and keeps serving the other clients', async () => {
    const { ws, url } = await endpoint({
      onConnection: async (connection) => {
        await connection.join('all');
        connection.send('ready');
      },
    });
    const big = await connect(`${url}/ws`);
    const other = await connect(`${url}/ws`);
    await Promise.all([big.received(1), other.received(1)]);
    big.socket.send(JSON.stringify({ blob: 'x'.repeat(10 * 1024 * 1024) }));
    expect((await big.closed).code).toBe(1009);
    await ws.broadcast('all', 'still here');
    expect(await other.received(2)).toEqual(['ready', 'still here']);
    const late = await connect(`${url}/ws`);
    expect(await late.received(1)).toEqual(['ready']);
    other.socket.close();
    late.socket.close();
  });

  it('closes 1008 when a connection sends more messages than its rate limit', async () => {
    let handled = 0;
    const { url } = await endpoint({
      rateLimit: { messages: 5, intervalMs: 60_000 },
      onMessage: () => {
        handled++;
      },
    });
    const client = await connect(`${url}/ws`);
    for (let n = 0; n < 8; n++) client.socket.send(JSON.stringify({ n }));
    expect(await client.closed).toEqual({ code: 1008, reason: 'rate limit exceeded: slow down' });
    expect(handled).toBe(5);
  });

  it('closes 1011 when onMessage throws and reports the error', async () => {
    const errors: unknown[] = [];
    const { url } = await endpoint({
      onMessage: () => {
        throw new Error('handler bug');
      },
      onError: (error) => void errors.push(error),
    });
    const client = await connect(`${url}/ws`);
    client.socket.send('{}');
    expect((await client.closed).code).toBe(1011);
    expect(errors).toEqual([expect.objectContaining({ message: 'handler bug' })]);
  });
});

describe('connection health', () => {
  // The interval leaves the live client's pong time to arrive even on a loaded machine: a tick runs
  // before that turn's socket reads, so a tiny interval could starve a healthy client.
  it('terminates a client that stops answering pings and keeps one that answers', async () => {
    const closes: number[] = [];
    let serverClosed!: () => void;
    const closedOnServer = new Promise<void>((resolve) => {
      serverClosed = resolve;
    });
    const { url } = await endpoint({
      heartbeatMs: 250,
      onClose: (_connection, code) => {
        closes.push(code);
        serverClosed();
      },
    });
    const dead = track(new WebSocket(`${url}/ws`, { autoPong: false }));
    const live = await connect(`${url}/ws`);
    let pings = 0;
    const alive = new Promise<void>((resolve) =>
      live.socket.on('ping', () => {
        if (++pings === 2) resolve();
      }),
    );
    expect((await dead.closed).code).toBe(1006);
    await Promise.all([alive, closedOnServer]);
    expect(live.socket.readyState).toBe(WebSocket.OPEN);
    expect(closes).toEqual([1006]);
    live.socket.close();
  });

  it('leaves permessage-deflate off even when the client offers it', async () => {
    const { url } = await endpoint();
    const client = await connect(`${url}/ws`, { perMessageDeflate: true });
    expect(client.socket.extensions).toBe('');
    client.socket.close();
  });

  it('delivers through ws, in order, with permessage-deflate on', async () => {
    let member: Connection | undefined;
    const { ws, url } = await endpoint({
      perMessageDeflate: true,
      onConnection: async (connection) => {
        await connection.join('room');
        member = connection;
        connection.send('ready');
      },
    });
    const client = await connect(`${url}/ws`, { perMessageDeflate: true });
    expect(client.socket.extensions).toContain('permessage-deflate');
    await client.received(1);
    void ws.broadcast('room', { n: 1 });
    expect(member!.send({ n: 2 })).toBe(true);
    void ws.broadcast('room', { n: 3 });
    expect(await client.received(4)).toEqual(['ready', { n: 1 }, { n: 2 }, { n: 3 }]);
    client.socket.close();
  });

  it('closes every connection with 1001 on close() and stops answering upgrades', async () => {
    const { ws, url, server } = await endpoint();
    const client = await connect(`${url}/ws`);
    await ws.close();
    expect((await client.closed).code).toBe(1001);
    // The endpoint detached its upgrade listener from the server.
    expect(server.listenerCount('upgrade')).toBe(0);
  });

  it('refuses options that cannot work, at creation', async () => {
    const { server } = await listen();
    cleanup.push(() => close(server));
    expect(() => createWebSocketServer({ server, path: 'ws' })).toThrow(/path must start with "\/"/);
    expect(() =>
      createWebSocketServer({ server, path: '/a', rateLimit: { messages: 0, intervalMs: 10 } }),
    ).toThrow(expect.objectContaining({ code: 'ERR_REALTIME_INVALID_OPTION' }));
    expect(() => createWebSocketServer({ server, path: '/b', slowClient: 'wait' as 'drop' })).toThrow(
      /slowClient/,
    );
  });
});

describe('backpressure', () => {
  // About 410 B a frame: a limit of 1,000 B lets the first frame or two be written and the next
  // ones queued until the bytes already queued in this turn pass it, whatever the kernel took.
  const text = 'x'.repeat(390);

  /** One client of an endpoint with a 1,000 B limit, sent ten frames in one synchronous turn. */
  async function tenInOneTurn(options: Parameters<typeof endpoint>[0]) {
    let member: Connection | undefined;
    const { url } = await endpoint({
      maxBufferedBytes: 1000,
      ...options,
      onConnection: (connection) => {
        member = connection;
        connection.send('ready');
      },
    });
    const client = await connect(`${url}/ws`);
    await client.received(1);
    const sent = Array.from({ length: 10 }, (_, n) => member!.send({ n, text }));
    expect(sent.slice(0, 3)).toEqual([true, true, true]);
    expect(sent.slice(4)).toEqual(Array.from({ length: 6 }, () => false));
    return { member: member!, client, delivered: sent.filter(Boolean).length };
  }

  it('counts the frames queued in one turn toward the buffer limit and delivers again once caught up', async () => {
    const { member, client, delivered } = await tenInOneTurn({ slowClient: 'drop' });
    expect(member.dropped).toBe(10 - delivered);
    await client.received(1 + delivered);
    expect(member.send({ n: 'after' })).toBe(true);
    expect(await client.received(2 + delivered)).toEqual([
      'ready',
      ...Array.from({ length: delivered }, (_, n) => ({ n, text })),
      { n: 'after' },
    ]);
    expect(member.dropped).toBe(10 - delivered);
    client.socket.close();
  });

  it('terminates a client that one turn of sends takes over its limit under policy "close"', async () => {
    const slow: number[] = [];
    const { client } = await tenInOneTurn({
      onSlowClient: (_connection, bufferedBytes) => void slow.push(bufferedBytes),
    });
    expect(slow).toHaveLength(1);
    expect(slow[0]).toBeGreaterThan(1000);
    expect((await client.closed).code).toBe(1006);
  });

  it('keeps the order of frames written straight to the socket and those the stream queued once the client stopped reading', async () => {
    let member: Connection | undefined;
    const slow: number[] = [];
    const { url } = await endpoint({
      slowClient: 'drop',
      maxBufferedBytes: 64 * 1024,
      rateLimit: false,
      onSlowClient: (_connection, bufferedBytes) => void slow.push(bufferedBytes),
      onConnection: (connection) => {
        member = connection;
        connection.send('ready');
      },
    });
    const client = await connect(`${url}/ws`);
    await client.received(1);
    const socket = (client.socket as unknown as { _socket: import('node:net').Socket })._socket;
    socket.pause();
    // One frame per turn: each goes straight to the socket while nothing waits before it, then,
    // once the kernel's buffers are full, behind the unfinished one until the limit is passed.
    const text = 'q'.repeat(8 * 1024);
    let sent = 0;
    while (member!.send({ n: sent, text })) {
      sent++;
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(sent).toBeGreaterThan(8);
    expect(member!.dropped).toBe(1);
    expect(slow).toHaveLength(1);
    expect(slow[0]).toBeGreaterThan(64 * 1024);
    socket.resume();
    await client.received(1 + sent);
    expect(client.messages.slice(1).map((message) => (message as { n: number }).n)).toEqual(
      Array.from({ length: sent }, (_, n) => n),
    );
    expect(member!.send({ n: 'after', text })).toBe(true);
    expect((await client.received(2 + sent))[1 + sent]).toEqual({ n: 'after', text });
    client.socket.close();
  });

  it('drops messages to a client over its buffer limit under policy "drop" and keeps the others whole', async () => {
    const members: Connection[] = [];
    const { ws, url } = await endpoint({
      slowClient: 'drop',
      maxBufferedBytes: 256 * 1024,
      onConnection: async (connection) => {
        await connection.join('feed');
        members.push(connection);
        connection.send('ready');
      },
    });
    const fast = await connect(`${url}/ws`);
    const slow = await connect(`${url}/ws`);
    await Promise.all([fast.received(1), slow.received(1)]);
    // The slow client stops reading: its TCP window fills and the server's buffer grows.
    (slow.socket as unknown as { _socket: import('node:net').Socket })._socket.pause();
    const chunk = 'y'.repeat(16 * 1024);
    // Enough to fill the kernel's loopback buffers of the paused client; one turn of the event loop
    // between messages lets the reading client drain, as a real paced feed would.
    for (let n = 0; n < 1000; n++) {
      await ws.broadcast('feed', { n, chunk });
      await new Promise((resolve) => setImmediate(resolve));
    }
    await fast.received(1001);
    expect(fast.messages.slice(1).map((message) => (message as { n: number }).n)).toEqual(
      Array.from({ length: 1000 }, (_, n) => n),
    );
    const slowMember = members.find((member) => member.dropped > 0);
    expect(slowMember).toBeDefined();
    expect(slowMember!.dropped).toBeGreaterThan(0);
    fast.socket.close();
    slow.socket.terminate();
  });
});
