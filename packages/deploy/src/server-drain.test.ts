import { createServer, type Server } from 'node:http';
import { type AddressInfo, connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { idleGrace, watchNodeServer } from './server-drain.js';

const open: Server[] = [];
afterEach(() => {
  for (const server of open.splice(0)) server.closeAllConnections();
});

async function listen(): Promise<{ server: Server; port: number }> {
  const server = createServer((_request, response) => response.end('ok'));
  open.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port };
}

/** A raw client connection that reads whole responses and reports how the connection ended. */
function client(port: number) {
  const socket: Socket = connect(port, '127.0.0.1');
  let received = '';
  const waiters: (() => void)[] = [];
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    received += chunk;
    for (const wake of waiters.splice(0)) wake();
  });
  const ended = new Promise<string>((resolve) => {
    socket.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
    socket.on('close', () => resolve('closed'));
  });
  const connected = new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  return {
    connected,
    ended,
    send(path: string) {
      socket.write(`GET ${path} HTTP/1.1\r\nHost: x\r\n\r\n`);
    },
    /**
     * Waits until `count` complete responses (each ends with the 2-byte body "ok") have arrived, or
     * the connection ended; resolves the responses, then how it ended if that came first.
     */
    async responses(count: number): Promise<string[]> {
      let done = false;
      void ended.then(() => {
        done = true;
      });
      for (;;) {
        const parts = received.split(/(?<=\r\n\r\nok)/).filter((part) => part.endsWith('ok'));
        if (parts.length >= count) return parts.slice(0, count);
        if (done) return [...parts, `ended: ${await ended}`];
        await Promise.race([new Promise<void>((resolve) => waiters.push(resolve)), ended]);
      }
    },
  };
}

describe('watchNodeServer', () => {
  it('answers a request written on a keep-alive socket just as the drain begins, with Connection: close', async () => {
    const { server, port } = await listen();
    const drain = watchNodeServer(server);
    const connection = client(port);
    connection.send('/first');
    const [first] = await connection.responses(1);
    expect(first).toMatch(/connection: keep-alive/i);
    // The socket is idle on the server: the client writes its next request as the drain begins.
    drain.begin();
    connection.send('/second');
    const [, second] = await connection.responses(2);
    expect(second).toMatch(/^HTTP\/1\.1 200/);
    expect(second).toMatch(/connection: close/i);
    expect(await connection.ended).toBe('closed');
  });

  it('lets a socket that connected before the listener closed bring its request, and answers it', async () => {
    const { server, port } = await listen();
    const drain = watchNodeServer(server);
    const connection = client(port);
    await connection.connected;
    await new Promise((resolve) => setImmediate(resolve));
    const drained = drain.drain();
    expect(server.listening).toBe(false);
    connection.send('/late');
    const [late] = await connection.responses(1);
    expect(late).toMatch(/^HTTP\/1\.1 200/);
    expect(late).toMatch(/connection: close/i);
    expect(await connection.ended).toBe('closed');
    await drained;
  });

  it('closes a keep-alive socket left idle past the grace, and the drain then ends', async () => {
    const { server, port } = await listen();
    const drain = watchNodeServer(server);
    const connection = client(port);
    connection.send('/only');
    await connection.responses(1);
    const started = performance.now();
    await drain.drain();
    expect(await connection.ended).toBe('closed');
    // Closed by the sweep once idle for the grace, not at once and not by node's keepAliveTimeout (5 s).
    expect(performance.now() - started).toBeLessThan(idleGrace + 3000);
  });

  it('tells what is still open', async () => {
    const { server, port } = await listen();
    const drain = watchNodeServer(server);
    const connection = client(port);
    await connection.connected;
    // The client's connect can come before the server's accept on a loaded machine: wait for the server.
    await vi.waitFor(() => expect(drain.pending()).toBe('0 request(s) in flight, 1 connection(s) open'), {
      timeout: 5000,
    });
    drain.force();
    expect(await connection.ended).toMatch(/closed|ECONNRESET/);
  });
});
