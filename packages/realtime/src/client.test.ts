import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { listen } from '../test/support/ws-clients.js';
import { backoffDelay, createClient, type WebSocketConstructor } from './client.js';
import { createWebSocketServer } from './websocket-server.js';

describe('backoffDelay', () => {
  it('grows by the factor up to the maximum and takes jitter off', () => {
    const none = () => 0;
    expect(
      [0, 1, 2, 3, 10].map((attempt) => backoffDelay(attempt, { initialMs: 100, maxMs: 1000 }, none)),
    ).toEqual([100, 200, 400, 800, 1000]);
    expect(backoffDelay(1, { initialMs: 100, jitter: 0.5 }, () => 1)).toBe(100);
    expect(backoffDelay(1, { initialMs: 100, jitter: 0 }, () => 1)).toBe(200);
  });
});

describe('createClient', () => {
  it('reconnects after the server drops it and stops after close()', async () => {
    const { server, url } = await listen();
    let connections = 0;
    const ws = createWebSocketServer({
      server,
      path: '/ws',
      onConnection: (connection) => {
        connections++;
        connection.send({ welcome: connections });
      },
      onMessage: (connection, message) => {
        if (message === 'drop') connection.close(4000, 'dropped');
        else connection.send({ echo: message });
      },
    });
    const client = createClient<{ welcome?: number; echo?: string }, string>(`${url}/ws`, {
      WebSocket: WebSocket as unknown as WebSocketConstructor,
      backoff: { initialMs: 1, jitter: 0 },
    });
    const received: unknown[] = [];
    const closes: boolean[] = [];
    const waitFor = (count: number) =>
      new Promise<void>((resolve) => {
        const stop = client.on('message', () => {
          if (received.length >= count) {
            stop();
            resolve();
          }
        });
      });
    client.on('message', (message) => received.push(message));
    client.on('close', (event) => closes.push(event.willReconnect));
    await waitFor(1);
    expect(client.send('hello')).toBe(true);
    await waitFor(2);
    client.send('drop');
    await waitFor(3);
    expect(received).toEqual([{ welcome: 1 }, { echo: 'hello' }, { welcome: 2 }]);
    expect(closes).toEqual([true]);
    client.close();
    expect(client.state).toBe('closed');
    expect(client.send('late')).toBe(false);
    await ws.close();
    server.close();
    await once(server, 'close');
    expect(connections).toBe(2);
  });
});
