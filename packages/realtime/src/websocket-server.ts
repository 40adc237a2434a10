// WebSocket endpoints on ws, attached to any node:http server: authentication on upgrade, channels
// across instances through a Broker, validated messages, heartbeats, payload, buffer and rate limits.
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';
import type { Broker } from './broker.js';
import { ChannelHub } from './channel-hub.js';
import { type Connection, closeReason, type SlowClientPolicy, SocketConnection } from './connection.js';
import { memoryBroker } from './drivers/memory.js';
import { assertNumber, RealtimeError } from './errors.js';
import { textFrame } from './frame.js';
import { assertRateLimit, type MessageRateLimit, tokenBucket } from './rate-limit.js';
import { type StandardSchemaV1, summarizeIssues } from './standard-schema.js';
import { refuseUpgrade, routeUpgrades, type UpgradeServer } from './upgrade-router.js';

/** Options of {@link createWebSocketServer}. */
export interface WebSocketServerOptions<User, Message> {
  /** The node:http server to attach to (plain, Express's `app.listen()`, `fastify.server`, serve()'s `server`). */
  server: UpgradeServer;
  /** The exact pathname this endpoint serves, e.g. `/ws`. Other paths are left to other endpoints (or 404). */
  path: string;
  /** Fans channel broadcasts out across instances. Default: a memory broker of this endpoint alone. */
  broker?: Broker;
  /** Prefix of this endpoint's channels on the Broker. Default `ws:`. */
  channelPrefix?: string;
  /**
   * Runs before the socket opens. Return the user (any value); throw an HTTP error (`status` 4xx/5xx,
   * http-errors style) to refuse the upgrade with that status and a problem+json body.
   */
  authenticate?: (request: IncomingMessage) => User | Promise<User>;
  /** Validates each incoming JSON message; a failure closes with 1008 and the first issue as reason. */
  schema?: StandardSchemaV1<unknown, Message>;
  /** Called once the socket is open. */
  onConnection?: (connection: Connection<User>) => void | Promise<void>;
  /** Called with each valid message, in arrival order per connection. */
  onMessage?: (connection: Connection<User>, message: Message) => void | Promise<void>;
  /** Called once a connection closed (code 1006 when it was terminated). */
  onClose?: (connection: Connection<User>, code: number, reason: string) => void;
  /** Called when a client is over `maxBufferedBytes`, before the policy applies. */
  onSlowClient?: (connection: Connection<User>, bufferedBytes: number) => void;
  /** Called when a handler throws or rejects; default `console.error`. The connection closes with 1011. */
  onError?: (error: unknown, connection: Connection<User>) => void;
  /** Ping interval; a client that has not answered the previous ping is terminated. Default 30000, 0 = off. */
  heartbeatMs?: number;
  /** Largest incoming message in bytes; a larger frame closes the connection with 1009. Default 1 MiB. */
  maxPayload?: number;
  /** Unsent bytes a client may have before `slowClient` applies. Default 1 MiB. */
  maxBufferedBytes?: number;
  /** `close` (default) terminates a slow client; `drop` skips messages to it until it catches up. */
  slowClient?: SlowClientPolicy;
  /** Messages per interval per connection; over it the connection closes with 1008. Default 100/s; false = off. */
  rateLimit?: MessageRateLimit | false;
  /** permessage-deflate; off by default (its memory cost per connection: ws issue #1369). */
  perMessageDeflate?: boolean;
}

/** A WebSocket endpoint. */
export interface RealtimeWebSocketServer<User> {
  /** The open connections of this instance. */
  readonly connections: ReadonlySet<Connection<User>>;
  /** Sends `message` (as JSON) to every member of `channel` on every instance, except `options.except`. */
  broadcast(
    channel: string,
    message: unknown,
    options?: { except?: Connection<User> | string },
  ): Promise<void>;
  /** Closes every connection with 1001, detaches from the server and ends Broker subscriptions. */
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

interface Settings<User, Message> extends WebSocketServerOptions<User, Message> {
  heartbeatMs: number;
  maxPayload: number;
  maxBufferedBytes: number;
  slowClient: SlowClientPolicy;
  rateLimit: MessageRateLimit | false;
}

function settingsOf<User, Message>(options: WebSocketServerOptions<User, Message>): Settings<User, Message> {
  if (typeof options?.server?.on !== 'function') {
    throw new RealtimeError(
      'ERR_REALTIME_INVALID_OPTION',
      'createWebSocketServer needs { server }: a node:http Server (app.listen(), fastify.server, serve().server).',
    );
  }
  if (typeof options.path !== 'string' || !options.path.startsWith('/')) {
    throw new RealtimeError(
      'ERR_REALTIME_INVALID_OPTION',
      `path must start with "/", got ${String(options.path)}.`,
    );
  }
  const settings: Settings<User, Message> = {
    ...options,
    heartbeatMs: options.heartbeatMs ?? 30_000,
    maxPayload: options.maxPayload ?? 1024 * 1024,
    maxBufferedBytes: options.maxBufferedBytes ?? 1024 * 1024,
    slowClient: options.slowClient ?? 'close',
    rateLimit: options.rateLimit ?? { messages: 100, intervalMs: 1000 },
  };
  assertNumber('heartbeatMs', settings.heartbeatMs);
  assertNumber('maxPayload', settings.maxPayload, 1);
  assertNumber('maxBufferedBytes', settings.maxBufferedBytes);
  if (settings.slowClient !== 'close' && settings.slowClient !== 'drop') {
    throw new RealtimeError(
      'ERR_REALTIME_INVALID_OPTION',
      `slowClient must be "close" or "drop", got ${String(settings.slowClient)}.`,
    );
  }
  if (settings.rateLimit) assertRateLimit(settings.rateLimit);
  return settings;
}

/**
 * Attaches a WebSocket endpoint at `path` to a node:http server.
 *
 * @example
 * const ws = createWebSocketServer({
 *   server, path: '/ws', broker,
 *   authenticate: (request) => userFrom(request.headers.cookie),
 *   onConnection: (connection) => connection.join(`team:${connection.user.teamId}`),
 * });
 * await ws.broadcast('team:7', { type: 'task.updated', id: 42 });
 */
export function createWebSocketServer<User = undefined, Message = unknown>(
  options: WebSocketServerOptions<User, Message>,
): RealtimeWebSocketServer<User> {
  const settings = settingsOf(options);
  const ownBroker = settings.broker === undefined;
  const broker = settings.broker ?? memoryBroker();
  const hub = new ChannelHub(broker, settings.channelPrefix ?? 'ws:', textFrame);
  const wss = new WebSocketServer({
    noServer: true,
    clientTracking: false,
    maxPayload: settings.maxPayload,
    perMessageDeflate: settings.perMessageDeflate ?? false,
  });
  const connections = new Set<SocketConnection<User>>();
  const instance = randomBytes(6).toString('base64url');
  let counter = 0;
  const connectionSettings = {
    hub,
    maxBufferedBytes: settings.maxBufferedBytes,
    slowClient: settings.slowClient,
    onSlowClient: settings.onSlowClient as
      | ((connection: Connection<unknown>, bytes: number) => void)
      | undefined,
  };

  const accept = (socket: WebSocket, request: IncomingMessage, user: User) => {
    const connection = new SocketConnection(
      `${instance}.${++counter}`,
      user,
      request,
      socket,
      connectionSettings,
    );
    connections.add(connection);
    listen(connection, settings);
    runHandler(connection, settings, () => settings.onConnection?.(connection));
  };

  const detach = routeUpgrades(settings.server, settings.path, (request, socket, head) => {
    void upgrade(request, socket, head);
  });

  const upgrade = async (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    let user: User;
    try {
      user = settings.authenticate ? await settings.authenticate(request) : (undefined as User);
    } catch (error) {
      refuseUpgrade(socket, error);
      return;
    }
    if (socket.destroyed) return;
    wss.handleUpgrade(request, socket, head, (ws) => accept(ws, request, user));
  };

  const timer =
    settings.heartbeatMs > 0 ? setInterval(() => beat(connections), settings.heartbeatMs).unref() : undefined;

  const listen = (connection: SocketConnection<User>, options: Settings<User, Message>) => {
    const { socket } = connection;
    const bucket = options.rateLimit ? tokenBucket(options.rateLimit) : undefined;
    const receive = receiver(connection, options);
    socket.on('pong', () => {
      connection.alive = true;
    });
    socket.on('message', (data: Buffer, isBinary: boolean) => {
      connection.alive = true;
      if (bucket && !bucket.take()) {
        connection.close(1008, 'rate limit exceeded: slow down');
        return;
      }
      if (isBinary) {
        connection.close(1003, 'binary messages are not accepted: send JSON text');
        return;
      }
      receive(data);
    });
    // ws reports protocol errors (a frame over maxPayload: 1009, bad UTF-8: 1007) here, then closes.
    socket.on('error', () => undefined);
    socket.on('close', (code: number, reason: Buffer) => {
      connections.delete(connection);
      void connection.leaveAll().catch(() => undefined);
      options.onClose?.(connection, code, reason.toString());
    });
  };

  const server: RealtimeWebSocketServer<User> = {
    connections,
    broadcast(channel, message, options = {}) {
      const except = typeof options.except === 'string' ? options.except : options.except?.id;
      return hub.broadcast(channel, JSON.stringify(message), except);
    },
    async close() {
      if (timer) clearInterval(timer);
      detach();
      for (const connection of connections) connection.close(1001, 'server shutting down');
      await hub.close();
      if (ownBroker) await broker.close();
      wss.close();
    },
    [Symbol.asyncDispose]() {
      return server.close();
    },
  };
  return server;
}

/** One heartbeat tick: terminate who did not answer the last ping, ping the rest. */
function beat(connections: Iterable<SocketConnection<unknown>>): void {
  for (const connection of connections) {
    if (!connection.alive) {
      connection.socket.terminate();
      continue;
    }
    connection.alive = false;
    connection.socket.ping();
  }
}

/** Parses, validates and hands each message on, keeping arrival order when validation is async. */
function receiver<User, Message>(connection: SocketConnection<User>, settings: Settings<User, Message>) {
  let chain: Promise<void> | undefined;
  const apply = (result: { value?: unknown; issues?: readonly { message: string }[] | undefined }) => {
    if (result.issues) {
      connection.close(1008, closeReason(`invalid message: ${summarizeIssues(result.issues)}`));
      return;
    }
    runHandler(connection, settings, () => settings.onMessage?.(connection, result.value as Message));
  };
  return (data: Buffer) => {
    let value: unknown;
    try {
      value = JSON.parse(data.toString());
    } catch {
      connection.close(1007, 'message is not valid JSON');
      return;
    }
    const result = settings.schema ? settings.schema['~standard'].validate(value) : { value };
    if (chain === undefined && !(result instanceof Promise)) return apply(result);
    const previous = chain ?? Promise.resolve();
    chain = previous.then(() => result).then(apply, (error) => fail(connection, settings, error));
  };
}

/** Runs an app handler; a throw or rejection goes to onError and closes the connection with 1011. */
function runHandler<User, Message>(
  connection: SocketConnection<User>,
  settings: Settings<User, Message>,
  handler: () => void | Promise<void>,
): void {
  try {
    const result = handler();
    if (result instanceof Promise) result.catch((error) => fail(connection, settings, error));
  } catch (error) {
    fail(connection, settings, error);
  }
}

function fail<User, Message>(
  connection: SocketConnection<User>,
  settings: Settings<User, Message>,
  error: unknown,
) {
  if (settings.onError) settings.onError(error, connection);
  else console.error('[realtime] WebSocket handler failed', error);
  connection.close(1011, 'internal error');
}
