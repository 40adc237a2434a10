// The WebSocket endpoint attached to the servers of real Express 5 and Fastify 5 apps, next to their
// HTTP routes, with authentication refusing before the socket opens.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import Fastify from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { createWebSocketServer } from '../src/ws.js';
import { connect, refused } from './support/ws-clients.js';

const cleanup: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

const hosts: Array<[string, () => Promise<{ server: Server; base: string }>]> = [
  [
    'Express 5',
    async () => {
      const app = express();
      app.get('/health', (_req, res) => void res.json({ ok: true }));
      const server = await new Promise<Server>((resolve) => {
        const started: Server = app.listen(0, '127.0.0.1', () => resolve(started));
      });
      cleanup.push(
        () =>
          new Promise((resolve) => {
            server.closeAllConnections();
            server.close(resolve);
          }),
      );
      return { server, base: `127.0.0.1:${(server.address() as AddressInfo).port}` };
    },
  ],
  [
    'Fastify 5',
    async () => {
      const app = Fastify();
      app.get('/health', async () => ({ ok: true }));
      await app.listen({ port: 0, host: '127.0.0.1' });
      cleanup.push(() => app.close());
      return { server: app.server, base: `127.0.0.1:${(app.server.address() as AddressInfo).port}` };
    },
  ],
];

describe.each(hosts)('on %s', (_name, start) => {
  it('serves WebSockets at its path while the app keeps answering HTTP', async () => {
    const { server, base } = await start();
    const ws = createWebSocketServer<string>({
      server,
      path: '/live',
      authenticate: (request) => {
        const user = new URL(request.url ?? '/', 'http://x').searchParams.get('user');
        if (!user) throw Object.assign(new Error('pass ?user='), { status: 403 });
        return user;
      },
      onConnection: (connection) => void connection.send({ hello: connection.user }),
      onMessage: (connection, message) => void connection.send({ echo: message }),
    });
    cleanup.push(() => ws.close());
    const client = await connect(`ws://${base}/live?user=ada`);
    client.socket.send(JSON.stringify('ping'));
    expect(await client.received(2)).toEqual([{ hello: 'ada' }, { echo: 'ping' }]);
    expect(await (await fetch(`http://${base}/health`)).json()).toEqual({ ok: true });
    expect(await refused(`ws://${base}/live`)).toMatchObject({ status: 403, body: { code: 'FORBIDDEN' } });
    client.socket.close();
  });
});
