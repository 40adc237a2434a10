// Routes HTTP upgrade requests of one node:http server to the WebSocket endpoint of their path, so
// several endpoints (and other libraries' upgrade listeners) share one server, and refuses an upgrade
// with a real HTTP status before any socket opens.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { RealtimeError } from './errors.js';
import { describeHttpError } from './http-status.js';

/** The part of a node:http Server we use: Express's, Fastify's `fastify.server`, @plinth/http's serve(). */
export interface UpgradeServer {
  on(event: 'upgrade', listener: (request: IncomingMessage, socket: Duplex, head: Buffer) => void): unknown;
  off(event: 'upgrade', listener: (request: IncomingMessage, socket: Duplex, head: Buffer) => void): unknown;
  listenerCount(event: 'upgrade'): number;
}

type Endpoint = (request: IncomingMessage, socket: Duplex, head: Buffer) => void;

interface Router {
  endpoints: Map<string, Endpoint>;
  listener: Endpoint;
}

const routers = new WeakMap<UpgradeServer, Router>();

/** The pathname of a request target, without query. */
export function pathOf(url: string | undefined): string {
  const target = url ?? '/';
  const query = target.indexOf('?');
  return query === -1 ? target : target.slice(0, query);
}

/** Registers `endpoint` for upgrades to `path` on `server`; returns the function that removes it. */
export function routeUpgrades(server: UpgradeServer, path: string, endpoint: Endpoint): () => void {
  let router = routers.get(server);
  if (!router) {
    const endpoints = new Map<string, Endpoint>();
    const listener: Endpoint = (request, socket, head) => {
      const match = endpoints.get(pathOf(request.url));
      if (match) return match(request, socket, head);
      // Another library's upgrade listener may own this path; answer 404 only when none is there.
      if (server.listenerCount('upgrade') === 1) refuseUpgrade(socket, { status: 404 });
    };
    router = { endpoints, listener };
    routers.set(server, router);
    server.on('upgrade', listener);
  }
  if (router.endpoints.has(path)) {
    throw new RealtimeError(
      'ERR_REALTIME_PATH_TAKEN',
      `A WebSocket endpoint already serves ${path} on this server; close it first or choose another path.`,
    );
  }
  router.endpoints.set(path, endpoint);
  const owned = router;
  return () => {
    owned.endpoints.delete(path);
    if (owned.endpoints.size === 0) {
      server.off('upgrade', owned.listener);
      routers.delete(server);
    }
  };
}

/** Answers an upgrade request with an HTTP error as problem+json, then closes the socket. */
export function refuseUpgrade(socket: Duplex, error: unknown): void {
  const { status, body, headers } = describeHttpError(error);
  const text = JSON.stringify(body);
  const lines = [
    `HTTP/1.1 ${status} ${String(body.title).replace(/[\r\n]/g, ' ')}`,
    'Connection: close',
    'Content-Type: application/problem+json',
    `Content-Length: ${Buffer.byteLength(text)}`,
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value.replace(/[\r\n]/g, ' ')}`),
  ];
  if (socket.writable) socket.end(`${lines.join('\r\n')}\r\n\r\n${text}`);
  else socket.destroy();
}
