// @plinth/realtime/client: a small typed WebSocket client for browsers (and any runtime with a WHATWG
// WebSocket) that reconnects with exponential backoff and jitter. No node imports.

/** Exponential backoff with jitter between reconnect attempts. */
export interface BackoffOptions {
  /** First delay in ms. Default 500. */
  initialMs?: number;
  /** Largest delay in ms. Default 30000. */
  maxMs?: number;
  /** Growth per attempt. Default 2. */
  factor?: number;
  /** Fraction of the delay taken off at random (0.5: 50–100 % of it), against reconnect storms. Default 0.5. */
  jitter?: number;
}

/** The WHATWG WebSocket constructor (the browser's, Node 22's, or ws's). */
export type WebSocketConstructor = new (url: string, protocols?: string | string[]) => WebSocket;

/** Options of {@link createClient}. */
export interface ClientOptions {
  protocols?: string | string[];
  backoff?: BackoffOptions;
  /** Reconnect attempts in a row before giving up. Default Infinity. */
  maxRetries?: number;
  /** The WebSocket implementation; default `globalThis.WebSocket`. */
  WebSocket?: WebSocketConstructor;
}

/** The state of a client. */
export type ClientState = 'connecting' | 'open' | 'reconnecting' | 'closed';

interface ClientEvents<In> {
  message: (message: In) => void;
  open: () => void;
  close: (event: { code: number; reason: string; willReconnect: boolean }) => void;
}

/** A reconnecting WebSocket client sending `Out` and receiving `In`, both as JSON. */
export interface RealtimeClient<In, Out> {
  readonly state: ClientState;
  /** Sends `message` as JSON; false when not open (nothing is queued). */
  send(message: Out): boolean;
  /** Listens to `message`, `open` or `close`; returns the function that stops listening. */
  on<K extends keyof ClientEvents<In>>(event: K, listener: ClientEvents<In>[K]): () => void;
  /** Closes for good (code 1000); no reconnect follows. */
  close(): void;
}

/** The delay before reconnect attempt `attempt` (0-based). */
export function backoffDelay(
  attempt: number,
  options: BackoffOptions = {},
  random: () => number = Math.random,
): number {
  const { initialMs = 500, maxMs = 30_000, factor = 2, jitter = 0.5 } = options;
  const base = Math.min(maxMs, initialMs * factor ** attempt);
  return Math.round(base * (1 - jitter * random()));
}

/**
 * Connects to a WebSocket endpoint and keeps reconnecting until `close()`.
 *
 * @example
 * const client = createClient<ServerMessage, ClientMessage>('wss://example.com/ws');
 * client.on('message', (message) => render(message));
 * client.send({ type: 'say', text: 'hi' });
 */
export function createClient<In = unknown, Out = unknown>(
  url: string,
  options: ClientOptions = {},
): RealtimeClient<In, Out> {
  const Socket = options.WebSocket ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
  if (!Socket) throw new TypeError('No WebSocket implementation: pass options.WebSocket (e.g. from "ws").');
  const maxRetries = options.maxRetries ?? Number.POSITIVE_INFINITY;
  const listeners: { [K in keyof ClientEvents<In>]: Set<ClientEvents<In>[K]> } = {
    message: new Set(),
    open: new Set(),
    close: new Set(),
  };
  let state: ClientState = 'connecting';
  let socket: WebSocket;
  let attempt = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const open = () => {
    socket = new Socket(url, options.protocols);
    socket.onopen = () => {
      attempt = 0;
      state = 'open';
      for (const listener of listeners.open) listener();
    };
    socket.onmessage = (event: MessageEvent) => {
      if (typeof event.data !== 'string') return;
      let message: In;
      try {
        message = JSON.parse(event.data) as In;
      } catch {
        return;
      }
      for (const listener of listeners.message) listener(message);
    };
    socket.onclose = (event: CloseEvent) => {
      const willReconnect = state !== 'closed' && event.code !== 1000 && attempt < maxRetries;
      for (const listener of listeners.close)
        listener({ code: event.code, reason: event.reason, willReconnect });
      if (!willReconnect) {
        state = 'closed';
        return;
      }
      state = 'reconnecting';
      timer = setTimeout(open, backoffDelay(attempt++, options.backoff));
    };
  };
  open();

  return {
    get state() {
      return state;
    },
    send(message) {
      if (state !== 'open' || socket.readyState !== 1) return false;
      socket.send(JSON.stringify(message));
      return true;
    },
    on(event, listener) {
      const set = listeners[event] as Set<typeof listener>;
      set.add(listener);
      return () => void set.delete(listener);
    },
    close() {
      state = 'closed';
      if (timer) clearTimeout(timer);
      socket.close(1000);
    },
  };
}
