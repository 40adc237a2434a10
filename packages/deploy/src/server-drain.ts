// Draining a node:http server: stop accepting, answer in-flight requests with `Connection: close`,
// close idle keep-alive sockets, and tell when every HTTP connection is gone.
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/** The part of a node:http (or https) server the drain uses; `app.listen()` of Express returns one. */
export type NodeServer = Pick<
  Server,
  'close' | 'closeIdleConnections' | 'closeAllConnections' | 'listening' | 'on' | 'prependListener'
>;

/** A server being watched so it can be drained later. */
export interface ServerDrain {
  /** Stops accepting and resolves once in-flight requests are answered and their sockets closed. */
  drain(): Promise<void>;
  /**
   * Only the keep-alive part of a drain: from now on responses carry `Connection: close` and idle
   * sockets are closed. For servers whose framework closes the listener itself (Fastify).
   */
  closeKeepAlive(): void;
  /** Destroys every connection still open. */
  force(): void;
  /** What is still open, for the log line when the timeout strikes. */
  pending(): string;
}

/** A framework instance that owns a node:http server and closes it itself (Fastify, @plinth/http). */
export interface FrameworkServer {
  server: NodeServer;
  close(): unknown;
}

/** Tells whether a value is a framework instance with its own `close()` around a node:http `server`. */
export function isFrameworkServer(value: unknown): value is FrameworkServer {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as { server?: unknown; close?: unknown };
  return typeof candidate.close === 'function' && isNodeServer(candidate.server);
}

/** Tells whether a value is a node:http server (duck-typed: net.Server plus the idle-connection API). */
export function isNodeServer(value: unknown): value is NodeServer {
  if (typeof value !== 'object' || value === null) return false;
  const server = value as Partial<Record<keyof NodeServer, unknown>>;
  return (
    typeof server.closeIdleConnections === 'function' &&
    typeof server.closeAllConnections === 'function' &&
    typeof server.prependListener === 'function'
  );
}

/**
 * Starts watching a node:http server's connections and requests. Call it before traffic
 * arrives: responses already under way when it starts cannot be marked `Connection: close`.
 */
export function watchNodeServer(server: NodeServer): ServerDrain {
  const sockets = new Set<Socket>();
  const responses = new Set<ServerResponse>();
  let draining = false;
  let settle: (() => void) | undefined;

  // After an upgrade (WebSocket) node frees the socket's HTTP parser: such sockets belong to
  // their own Closable (the ws server) and must not hold the HTTP drain.
  const isHttp = (socket: Socket) =>
    !socket.destroyed && (socket as Socket & { parser?: unknown }).parser != null;
  const check = () => {
    if (settle !== undefined && responses.size === 0 && ![...sockets].some(isHttp)) settle();
  };

  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => {
      sockets.delete(socket);
      if (draining) check();
    });
  };
  server.on('connection', track);
  // An https server parses HTTP on the TLS socket, not on the raw TCP one 'connection' reports.
  server.on('secureConnection', track);
  // Prepended so the header is set before the app's own listener can write the head.
  server.prependListener('request', (_request: IncomingMessage, response: ServerResponse) => {
    responses.add(response);
    if (draining) response.setHeader('connection', 'close');
    response.once('close', () => {
      responses.delete(response);
      if (draining) {
        // A response that went out as keep-alive leaves an idle socket behind: close it now.
        server.closeIdleConnections();
        check();
      }
    });
  });

  function closeKeepAlive(): void {
    draining = true;
    for (const response of responses) {
      if (!response.headersSent) response.setHeader('connection', 'close');
    }
    server.closeIdleConnections();
  }

  return {
    closeKeepAlive,
    drain() {
      const done = new Promise<void>((resolve) => {
        settle = resolve;
      });
      closeKeepAlive();
      // close() errs only when the server is not listening; then the open sockets are all that is left.
      if (server.listening) server.close(() => settle?.());
      check();
      return done;
    },
    force() {
      server.closeAllConnections();
      for (const socket of sockets) socket.destroy();
    },
    pending() {
      const open = [...sockets].filter(isHttp).length;
      return `${responses.size} request(s) in flight, ${open} connection(s) open`;
    },
  };
}
