// serve(): the app on a node:http server of its own, with a close() that drains in-flight requests,
// closes idle keep-alive connections and cuts what is left after a bounded timeout.
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { toNodeHandler } from './adapters/node.js';
import type { App } from './app.js';
import { usageError } from './errors.js';

/** Options of {@link serve}. */
export interface ServeOptions {
  /** Port to listen on; 0 picks a free one. Default 3000. */
  port?: number;
  /** Interface to bind; all interfaces by default. */
  hostname?: string;
  /** Largest request head in bytes (node answers 431 above it); node's default (16 KiB) unless given. */
  maxHeaderSize?: number;
  /** Milliseconds a client may take to send the whole request; default 300 000 (node's). */
  requestTimeout?: number;
  /** Milliseconds an idle keep-alive connection stays open; default 5 000 (node's). */
  keepAliveTimeout?: number;
}

/** Options of {@link RunningServer.close}. */
export interface CloseOptions {
  /** Milliseconds to let in-flight requests finish before their connections are cut; default 10 000. */
  timeout?: number;
}

/** A listening server: close it with `close()` or `await using`. */
export interface RunningServer {
  /** The node:http server. */
  readonly server: Server;
  /** The port it listens on (the real one when you asked for 0). */
  readonly port: number;
  /** `http://host:port`. */
  readonly url: string;
  /**
   * Stops accepting connections, closes idle keep-alive connections, lets in-flight requests finish
   * (their responses say `Connection: close`) and cuts what remains after `timeout`.
   */
  close(options?: CloseOptions): Promise<void>;
  /** `close()` with the default timeout. */
  [Symbol.asyncDispose](): Promise<void>;
}

/**
 * Serves the app on node:http.
 *
 * @example
 * const server = await serve(app, { port: 3000 });
 * process.on('SIGTERM', () => server.close({ timeout: 10_000 }));
 */
export function serve<State extends object>(
  app: App<State>,
  options: ServeOptions = {},
): Promise<RunningServer> {
  const port = options.port ?? 3000;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw usageError('ERR_HTTP_INVALID_OPTIONS', `Port ${port} is invalid; use an integer 0–65535.`);
  }
  const handler = toNodeHandler(app);
  let draining = false;
  const server = createServer(
    {
      ...(options.maxHeaderSize === undefined ? {} : { maxHeaderSize: options.maxHeaderSize }),
      ...(options.requestTimeout === undefined ? {} : { requestTimeout: options.requestTimeout }),
      ...(options.keepAliveTimeout === undefined ? {} : { keepAliveTimeout: options.keepAliveTimeout }),
    },
    (req, res) => {
      if (draining) res.setHeader('connection', 'close');
      handler(req, res);
    },
  );
  const sockets = trackSockets(server);
  let closing: Promise<void> | undefined;
  const close = (closeOptions: CloseOptions = {}) => {
    const timeout = closeOptions.timeout ?? 10_000;
    closing ??= new Promise<void>((resolve) => {
      draining = true;
      // Responses from now on say `Connection: close`, and node closes those sockets itself. A socket
      // that stays idle is closed once it has looked idle for `idleGrace`: closing it at once resets a
      // client that is writing its next request on it right now. node's server.close() would do
      // exactly that through closeIdleConnections(), so for this drain that method waits too.
      const seenIdle = new Map<Socket, number>();
      const closeIdle = () => closeLongIdle(sockets, seenIdle, idleGrace);
      server.closeIdleConnections = closeIdle;
      // setImmediate: runs after the poll phase has parsed what already arrived on the wire.
      const sweep = setInterval(() => setImmediate(closeIdle), sweepInterval);
      const force = setTimeout(() => server.closeAllConnections(), timeout);
      server.close(() => {
        clearInterval(sweep);
        clearTimeout(force);
        resolve();
      });
    });
    return closing;
  };
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    server.once('error', onError);
    server.listen(port, options.hostname, () => {
      server.off('error', onError);
      const address = server.address() as AddressInfo;
      const host = options.hostname ?? 'localhost';
      const shown = host.includes(':') ? `[${host}]` : host;
      resolve({
        server,
        port: address.port,
        url: `http://${shown}:${address.port}`,
        close,
        [Symbol.asyncDispose]: () => close(),
      });
    });
  });
}

/** How long a socket must have been idle, once a drain began, before close() closes it. */
const idleGrace = 1000;
const sweepInterval = 50;

/** The open sockets of a server (one Set update per connection, none per request). */
function trackSockets(server: Server): Set<Socket> {
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  return sockets;
}

/**
 * Closes the sockets that have had no response in flight for `grace` ms (as seen by successive
 * sweeps). Busy sockets end by themselves after their `Connection: close` response.
 */
function closeLongIdle(sockets: Set<Socket>, seenIdle: Map<Socket, number>, grace: number): void {
  const now = performance.now();
  for (const socket of sockets) {
    // node attaches the ServerResponse being written to its socket (`_httpMessage`) until it ends; an
    // upgraded socket (WebSocket) has no HTTP parser any more and belongs to its own server.
    const http = socket as Socket & { _httpMessage?: unknown; parser?: unknown };
    if (http.parser == null) continue;
    if (http._httpMessage != null) {
      seenIdle.delete(socket);
      continue;
    }
    const since = seenIdle.get(socket);
    if (since === undefined) seenIdle.set(socket, now);
    else if (now - since >= grace) socket.destroy();
  }
}
