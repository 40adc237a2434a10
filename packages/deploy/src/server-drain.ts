// Draining a node:http server without a client-visible error: from the signal on, every response says
// `Connection: close`; a socket is closed only once it has answered so, or has been idle for a moment;
// then the server stops accepting and the drain ends when every HTTP connection is gone.
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/** The part of a node:http (or https) server the drain uses; `app.listen()` of Express returns one. */
export type NodeServer = Pick<
  Server,
  'close' | 'closeIdleConnections' | 'closeAllConnections' | 'listening' | 'on' | 'prependListener'
>;

/** A server being watched so it can be drained later. */
export interface ServerDrain {
  /**
   * Starts the drain without closing the listener (shutdown calls it when the signal arrives, before
   * the readiness delay): responses carry `Connection: close` from now on, and sockets idle for a
   * moment are closed.
   */
  begin(): void;
  /** Begins if needed, stops accepting, and resolves once every HTTP connection is closed. */
  drain(): Promise<void>;
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

/**
 * How long a socket must have been idle before the drain closes it. Closing a keep-alive socket
 * races with a client that has just written a request on it (the request is lost to ECONNRESET, the
 * race RFC 9112 §9.6 describes); a socket that has just connected or just answered is given this
 * long to bring its next request, which then gets `Connection: close`.
 */
export const idleGrace = 1000;

// How often idle sockets are looked at during the drain.
const sweepInterval = 100;

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

/** What the drain knows of one connection. */
interface Connection {
  /** Requests received and not yet answered. */
  busy: number;
  /** When it last turned idle (connected, or finished a response), from `performance.now()`. */
  idleSince: number;
}

/** The connections of a server and what each is doing. */
function trackConnections(server: NodeServer, onClosed: () => void) {
  const connections = new Map<Socket, Connection>();
  const responses = new Set<ServerResponse>();
  const track = (socket: Socket) => {
    connections.set(socket, { busy: 0, idleSince: performance.now() });
    socket.once('close', () => {
      connections.delete(socket);
      onClosed();
    });
  };
  server.on('connection', track);
  // An https server parses HTTP on the TLS socket, not on the raw TCP one 'connection' reports.
  server.on('secureConnection', track);
  const onRequest = (request: IncomingMessage, response: ServerResponse) => {
    const connection = connections.get(request.socket);
    if (connection !== undefined) connection.busy++;
    responses.add(response);
    response.once('close', () => {
      responses.delete(response);
      if (connection !== undefined) {
        connection.busy--;
        connection.idleSince = performance.now();
      }
      onClosed();
    });
  };
  return { connections, responses, onRequest };
}

// After an upgrade (WebSocket) node frees the socket's HTTP parser: such sockets belong to their own
// Closable (the ws server) and must neither hold the HTTP drain nor be closed by it.
function isHttp(socket: Socket): boolean {
  return !socket.destroyed && (socket as Socket & { parser?: unknown }).parser != null;
}

/**
 * Starts watching a node:http server's connections and requests. Call it before traffic
 * arrives: responses already under way when it starts cannot be marked `Connection: close`.
 */
export function watchNodeServer(server: NodeServer): ServerDrain {
  let draining = false;
  let settle: (() => void) | undefined;
  let sweeper: NodeJS.Timeout | undefined;
  const { connections, responses, onRequest } = trackConnections(server, () => {
    if (settle !== undefined) checkSettled();
  });
  // Prepended so the header is set before the app's own listener can write the head.
  server.prependListener('request', (request: IncomingMessage, response: ServerResponse) => {
    onRequest(request, response);
    if (draining) response.setHeader('connection', 'close');
  });

  function checkSettled(): void {
    if (responses.size > 0) return;
    for (const socket of connections.keys()) if (isHttp(socket)) return;
    clearInterval(sweeper);
    settle?.();
  }

  /** Closes the HTTP sockets that have no request in flight and have been idle for `idleGrace`. */
  function closeLongIdle(): void {
    const now = performance.now();
    for (const [socket, connection] of connections) {
      if (connection.busy === 0 && now - connection.idleSince >= idleGrace && isHttp(socket)) {
        socket.destroy();
      }
    }
  }

  // Run in the check phase, after the poll phase has read what arrived: a request already on the
  // wire when the timer fires is parsed first and makes its socket busy, even on a loop that lagged.
  const sweep = () => setImmediate(closeLongIdle);

  function begin(): void {
    if (draining) return;
    draining = true;
    for (const response of responses) {
      if (!response.headersSent) response.setHeader('connection', 'close');
    }
    // node's close(), Fastify's and @plinth/http's close() call closeIdleConnections(), which destroys
    // sockets on which a request may be on its way: from now on it closes long-idle ones only.
    server.closeIdleConnections = closeLongIdle;
    sweeper = setInterval(sweep, sweepInterval);
    sweeper.unref();
    closeLongIdle();
  }

  return {
    begin,
    drain() {
      begin();
      const done = new Promise<void>((resolve) => {
        settle = resolve;
      });
      // close() errs only when the server is not listening; then the open sockets are all that is left.
      if (server.listening) server.close();
      checkSettled();
      return done;
    },
    force() {
      clearInterval(sweeper);
      server.closeAllConnections();
      for (const socket of connections.keys()) socket.destroy();
    },
    pending() {
      const open = [...connections.keys()].filter(isHttp).length;
      return `${responses.size} request(s) in flight, ${open} connection(s) open`;
    },
  };
}
