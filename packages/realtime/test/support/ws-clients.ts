// Real ws clients for the tests: open, collect JSON messages, and wait for the close code.
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type ClientOptions, WebSocket } from 'ws';

/** A plain node:http server on an ephemeral loopback port. */
export async function listen(server: Server = createServer()): Promise<{ server: Server; url: string }> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return { server, url: `ws://127.0.0.1:${port}` };
}

export interface TestClient {
  socket: WebSocket;
  messages: unknown[];
  /** Resolves once `count` messages arrived. */
  received(count: number): Promise<unknown[]>;
  /** Resolves with the close code and reason. */
  closed: Promise<{ code: number; reason: string }>;
}

/** Opens a client and waits for it to be open. */
export async function connect(url: string, options: ClientOptions = {}): Promise<TestClient> {
  const socket = new WebSocket(url, options);
  const client = track(socket);
  await once(socket, 'open');
  return client;
}

/** Wraps a socket (open or not) with message collection. */
export function track(socket: WebSocket): TestClient {
  const messages: unknown[] = [];
  const waiters: Array<{ count: number; resolve: (value: unknown[]) => void }> = [];
  socket.on('message', (data) => {
    messages.push(JSON.parse(data.toString()));
    for (const waiter of [...waiters]) {
      if (messages.length >= waiter.count) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(messages);
      }
    }
  });
  socket.on('error', () => undefined);
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() }));
  });
  return {
    socket,
    messages,
    closed,
    received: (count) =>
      messages.length >= count
        ? Promise.resolve(messages)
        : new Promise((resolve) => waiters.push({ count, resolve })),
  };
}

/** The status and body of a refused upgrade. */
export async function refused(
  url: string,
  options: ClientOptions = {},
): Promise<{ status: number; body: unknown; type: string | undefined }> {
  const socket = new WebSocket(url, options);
  socket.on('error', () => undefined);
  const [, response] = (await once(socket, 'unexpected-response')) as [
    unknown,
    import('node:http').IncomingMessage,
  ];
  let text = '';
  for await (const chunk of response) text += chunk;
  return {
    status: response.statusCode ?? 0,
    body: text ? JSON.parse(text) : undefined,
    type: response.headers['content-type'],
  };
}
