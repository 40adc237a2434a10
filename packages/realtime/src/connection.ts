// One accepted WebSocket: what the app sees (id, user, channels, send, join, leave, broadcast, close)
// and the delivery path with its backpressure policy.
import type { IncomingMessage } from 'node:http';
import { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';
import type { ChannelHub, ChannelMember } from './channel-hub.js';
import { textFrame } from './frame.js';

/** What happens to a client whose unsent bytes pass `maxBufferedBytes`. */
export type SlowClientPolicy = 'close' | 'drop';

/** An accepted WebSocket connection. */
export interface Connection<User = unknown> {
  /** Unique across instances, so broadcast-except-sender works through the Broker. */
  readonly id: string;
  /** What `authenticate` returned for this connection. */
  readonly user: User;
  /** The upgrade request (headers, url). */
  readonly request: IncomingMessage;
  /** The channels this connection joined. */
  readonly channels: ReadonlySet<string>;
  /** Messages not sent to this client because it was over its buffer limit (policy "drop"). */
  readonly dropped: number;
  /** Sends `message` as JSON to this client alone; false when it was not sent (closed, or dropped). */
  send(message: unknown): boolean;
  /** Joins `channel`; resolves once broadcasts from every instance reach this connection. */
  join(channel: string): Promise<void>;
  /** Leaves `channel`. */
  leave(channel: string): Promise<void>;
  /** Sends `message` to every member of `channel` on every instance except this connection. */
  broadcast(channel: string, message: unknown): Promise<void>;
  /** Closes with a close code (default 1000) and a reason of at most 123 bytes. */
  close(code?: number, reason?: string): void;
}

/** Settings a connection needs from its server. */
export interface ConnectionSettings {
  hub: ChannelHub;
  maxBufferedBytes: number;
  slowClient: SlowClientPolicy;
  onSlowClient: ((connection: Connection<unknown>, bufferedBytes: number) => void) | undefined;
}

/**
 * A net.Socket's own `_write` (chunk, encoding, callback): what its Writable calls for each chunk,
 * straight to the handle, without the stream's bookkeeping (state, a nextTick per socket per turn
 * for the write's completion). Used only while that Writable holds nothing, so order is kept: a
 * write it starts later queues behind ours in libuv. Probed once; undefined (plain `write`) if this
 * Node's Socket does not have it.
 */
type DirectWrite = (chunk: Buffer, encoding: string, callback: (error?: Error | null) => void) => void;
const directWrite = (Socket.prototype as unknown as { _write?: DirectWrite })._write;

/** The fields of ws's WebSocket the raw path reads (ws 8). */
interface WsInternals {
  _socket?: Duplex & { _writableState?: { length?: unknown } };
  _sender?: { _bufferedBytes?: number };
  /** What the `readyState` getter returns; read as a field, on every delivery. */
  _readyState?: unknown;
}

/**
 * The raw socket ws writes to and its Writable's state (whose `length` is `writableLength`, read
 * without the getter on every delivery), when it is safe to write a ready frame on it ourselves.
 */
function rawSocket(socket: WebSocket): { raw: Duplex; state: { length: number } } | undefined {
  const internal = socket as unknown as WsInternals;
  // ws queues frames only while compressing or reading a Blob; with neither (permessage-deflate off,
  // strings only) its sender writes straight through, so our writes keep frame order.
  if (socket.extensions !== '' || internal._sender?._bufferedBytes !== 0) return undefined;
  const raw = internal._socket;
  const state = raw?._writableState;
  // Probed once: without these fields (another ws or Node), socket.send() and its getters serve.
  if (!raw || typeof state?.length !== 'number' || state.length !== raw.writableLength) return undefined;
  if (internal._readyState !== socket.readyState) return undefined;
  return { raw, state: state as { length: number } };
}

/**
 * The turn of the event loop frames are written in. One microtask per turn, shared by every
 * connection, ends it; a connection that already wrote in the current turn queues its next frames
 * for that microtask, which writes them with one writev.
 */
let turn = 0;
let turnEnding = false;
let queued: SocketConnection<unknown>[] = [];

/** Implements Connection over a ws socket. */
export class SocketConnection<User> implements Connection<User>, ChannelMember {
  readonly id: string;
  readonly user: User;
  readonly request: IncomingMessage;
  readonly channels = new Set<string>();
  dropped = 0;
  /** Cleared by each heartbeat tick, set by a pong or a message. */
  alive = true;
  readonly socket: WebSocket;
  readonly #settings: ConnectionSettings;
  /** `maxBufferedBytes`, read on every delivery. */
  readonly #limit: number;
  readonly #raw: Duplex | undefined;
  /** `#raw`'s Writable state: `length` is its `writableLength`. */
  readonly #state: { length: number };
  /** Whether frames may go to `#raw` through `directWrite` (a plain net.Socket or tls.TLSSocket). */
  readonly #direct: boolean;
  /**
   * The size of the direct write the kernel did not take at once (0 when none): its bytes wait in
   * libuv, outside the Writable's `writableLength`, so they count here toward the buffer limit.
   */
  #unsent = 0;
  /** Completion of a direct write (called at once when the kernel took it all). */
  readonly #written: (error?: Error | null) => void;
  /** The turn this connection last wrote a frame in; -1 before its first. */
  #turn = -1;
  /** Frames after the first of this turn, written together when the turn ends (see `deliver`). */
  #pending: Buffer[] | undefined;
  #pendingBytes = 0;

  constructor(
    id: string,
    user: User,
    request: IncomingMessage,
    socket: WebSocket,
    settings: ConnectionSettings,
  ) {
    this.id = id;
    this.user = user;
    this.request = request;
    this.socket = socket;
    this.#settings = settings;
    this.#limit = settings.maxBufferedBytes;
    const found = rawSocket(socket);
    const raw = found?.raw;
    this.#raw = raw;
    this.#state = found?.state ?? { length: 0 };
    this.#direct = raw !== undefined && directWrite !== undefined && raw._write === directWrite;
    this.#written = (error) => {
      this.#unsent = 0;
      // What the Writable does with a failed write (EPIPE, ECONNRESET): ws then sees the close.
      if (error) raw?.destroy(error);
    };
  }

  send(message: unknown): boolean {
    const payload = Buffer.from(JSON.stringify(message));
    return this.deliver(textFrame(payload), payload);
  }

  /** Writes a ready frame, or applies the slow-client policy when the client is over its limit. */
  deliver(frame: Buffer, payload: Buffer): boolean {
    const raw = this.#raw;
    if (!raw) return this.#send(payload);
    // ws's readyState, read as the field its getter returns (rawSocket checked it exists).
    if ((this.socket as unknown as WsInternals)._readyState !== 1) return false;
    const buffered = this.#state.length + this.#unsent + this.#pendingBytes;
    if (buffered > this.#limit) {
      this.#slow(buffered);
      return false;
    }
    // The first frame of a turn goes straight to the socket: one broadcast per turn costs what a
    // bare write loop costs (bench/index.ts, "one per turn"). Further frames of the same turn are
    // queued and go out in one writev (one syscall, fewer TCP segments; the "burst" case).
    if (this.#turn !== turn) {
      this.#turn = turn;
      if (!turnEnding) {
        turnEnding = true;
        queueMicrotask(SocketConnection.#endTurn);
      }
      this.#write(raw, frame, buffered);
      return true;
    }
    if (this.#pending) {
      this.#pending.push(frame);
    } else {
      this.#pending = [frame];
      queued.push(this);
    }
    this.#pendingBytes += frame.length;
    return true;
  }

  /**
   * Writes one frame: straight to the socket's handle when nothing waits before it (`buffered` 0:
   * the Writable is empty, no direct write is unfinished, nothing queued this turn), else through
   * the Writable, which keeps it behind what waits.
   */
  #write(raw: Duplex, frame: Buffer, buffered: number): void {
    if (buffered !== 0 || !this.#direct) {
      raw.write(frame);
      return;
    }
    // #written resets #unsent: at once when the kernel took the whole frame, else once it did.
    this.#unsent = frame.length;
    (raw as unknown as { _write: DirectWrite })._write(frame, 'buffer', this.#written);
  }

  /** Sends through ws (permessage-deflate on, or ws's internals not as expected). */
  #send(payload: Buffer): boolean {
    const socket = this.socket;
    if (socket.readyState !== 1) return false;
    const buffered = socket.bufferedAmount;
    if (buffered > this.#limit) {
      this.#slow(buffered);
      return false;
    }
    socket.send(payload, { binary: false });
    return true;
  }

  /** Applies the slow-client policy to a client `buffered` bytes behind. */
  #slow(buffered: number): void {
    this.#settings.onSlowClient?.(this, buffered);
    if (this.#settings.slowClient === 'close') {
      // A close frame would wait behind the same full buffer: end the TCP connection now.
      this.socket.terminate();
    } else {
      this.dropped++;
    }
  }

  /** Ends the turn: writes the frames every connection queued in it. */
  static readonly #endTurn = (): void => {
    turn++;
    turnEnding = false;
    const connections = queued;
    queued = [];
    for (const connection of connections) connection.#flush();
  };

  /** Writes the queued frames, unless the socket began closing (no data after a close frame). */
  #flush(): void {
    const frames = this.#pending;
    const raw = this.#raw;
    this.#pending = undefined;
    this.#pendingBytes = 0;
    if (!frames || !raw || this.socket.readyState !== 1) return;
    if (frames.length === 1) {
      this.#write(raw, frames[0]!, this.#state.length + this.#unsent);
      return;
    }
    raw.cork();
    for (const frame of frames) raw.write(frame);
    raw.uncork();
  }

  async join(channel: string): Promise<void> {
    this.channels.add(channel);
    await this.#settings.hub.join(channel, this);
    // Closed while joining: leaveAll() already ran, so leave here or the channel keeps a dead member.
    if (this.socket.readyState > 1) await this.leave(channel);
  }

  async leave(channel: string): Promise<void> {
    this.channels.delete(channel);
    await this.#settings.hub.leave(channel, this);
  }

  broadcast(channel: string, message: unknown): Promise<void> {
    return this.#settings.hub.broadcast(channel, JSON.stringify(message), this.id);
  }

  close(code = 1000, reason = ''): void {
    // What was sent before close() goes out before the close frame.
    this.#flush();
    this.socket.close(code, reason);
  }

  /** Leaves every channel (on close). */
  async leaveAll(): Promise<void> {
    const channels = [...this.channels];
    this.channels.clear();
    await Promise.all(channels.map((channel) => this.#settings.hub.leave(channel, this)));
  }
}

/** Truncates a close reason to the 123 bytes RFC 6455 §5.5 allows in a close frame. */
export function closeReason(text: string): string {
  let reason = text;
  while (Buffer.byteLength(reason) > 123) reason = reason.slice(0, -1);
  return reason;
}
