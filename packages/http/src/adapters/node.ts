// node:http adapter: `toNodeHandler(app)` for raw node, Express 5 and Connect; `serve(app)` for a server
// of our own with a draining close(). Translation only: the app does the work.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type App, type Dispatch, dispatcherOf } from '../app.js';
import { usageError } from '../errors.js';
import { NodeRequestSource, type ParsedBody } from '../node-request.js';
import { writeResponse } from '../node-response.js';

/** A Connect-style handler: `(req, res)` for node:http, `(req, res, next)` as Express middleware. */
export type NodeHandler = (
  req: IncomingMessage,
  res: ServerResponse,
  next?: (error?: unknown) => void,
) => void;

/** Internal: per-call options of the node handler (the Fastify adapter passes the body it parsed). */
export interface NodeDispatchOptions {
  parsed?: ParsedBody;
  /** The path to route on, when the host framework mounted us under a prefix. */
  url?: string;
  /** Called instead of answering 404 when no route matches. */
  next?: (error?: unknown) => void;
}

function sendFailure(res: ServerResponse, error: unknown): void {
  console.error(error);
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(500, { 'content-type': 'application/problem+json; charset=utf-8' });
  res.end(JSON.stringify({ type: 'about:blank', title: 'Internal Server Error', status: 500 }));
}

/** Internal: dispatches one node request through the app and writes the response. */
export function handleNode(
  dispatch: Dispatch,
  req: IncomingMessage,
  res: ServerResponse,
  options: NodeDispatchOptions = {},
) {
  const originalUrl = (req as { originalUrl?: string }).originalUrl;
  const source = new NodeRequestSource(req, res, options.parsed, originalUrl);
  if (options.url !== undefined) (source as { target: string }).target = options.url;
  let result: ReturnType<typeof dispatch>;
  try {
    result = dispatch(source, options.next !== undefined);
  } catch (error) {
    sendFailure(res, error);
    return;
  }
  if (result === undefined) {
    options.next?.();
    return;
  }
  const write = (response: Response) => {
    try {
      const piping = writeResponse(req, res, response);
      if (piping !== undefined) piping.catch((error: unknown) => sendFailure(res, error));
    } catch (error) {
      sendFailure(res, error);
    }
  };
  if (result instanceof Response) write(result);
  else result.then(write, (error: unknown) => sendFailure(res, error));
}

/**
 * A node:http request handler for the app. As Express middleware (`expressApp.use(toNodeHandler(app))`)
 * it calls `next()` when no route matches, and reuses a body that `express.json()` already parsed.
 *
 * @example
 * http.createServer(toNodeHandler(app)).listen(3000);
 */
export function toNodeHandler<State extends object>(app: App<State>): NodeHandler {
  const dispatch = dispatcherOf(app);
  return (req, res, next) => {
    const body = (req as { body?: unknown }).body;
    // A body parser ran before us: the stream is spent, its result is on req.body.
    const parsed = body !== undefined && req.readableEnded ? { value: body } : undefined;
    handleNode(dispatch, req, res, next === undefined ? { parsed } : { parsed, next });
  };
}

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
  let closing: Promise<void> | undefined;
  const close = (closeOptions: CloseOptions = {}) => {
    const timeout = closeOptions.timeout ?? 10_000;
    closing ??= new Promise<void>((resolve) => {
      draining = true;
      // Connections turn idle as their last response ends: sweep them until the server is closed.
      const sweep = setInterval(() => server.closeIdleConnections(), 25);
      const force = setTimeout(() => server.closeAllConnections(), timeout);
      server.close(() => {
        clearInterval(sweep);
        clearTimeout(force);
        resolve();
      });
      server.closeIdleConnections();
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
