// Clients for the live tests: a WebSocket that queues what it receives, an upgrade refused before
// the socket opens, and an SSE reader over fetch. Every wait is bounded and names what it waited for.
import WebSocket from 'ws';

const defaultWaitMs = 15_000;

/** A queue of received values; `next` takes the first one that matches, waiting for it if needed. */
export class Inbox<T> {
  readonly #items: T[] = [];
  readonly #waiters = new Set<() => void>();
  #ended: Error | undefined;

  push(item: T): void {
    this.#items.push(item);
    for (const wake of this.#waiters) wake();
  }

  end(reason: Error): void {
    this.#ended = reason;
    for (const wake of this.#waiters) wake();
  }

  /** Everything received so far (nothing taken out). */
  get items(): readonly T[] {
    return this.#items;
  }

  async next(what: string, match: (item: T) => boolean = () => true, timeoutMs = defaultWaitMs): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const index = this.#items.findIndex(match);
      if (index !== -1) return this.#items.splice(index, 1)[0] as T;
      if (this.#ended) throw new Error(`ended before ${what} arrived: ${this.#ended.message}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`${what} did not arrive within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const wake = () => {
          clearTimeout(timer);
          this.#waiters.delete(wake);
          resolve();
        };
        const timer = setTimeout(wake, left);
        this.#waiters.add(wake);
      });
    }
  }
}

/** A JSON message from /live. */
export type LiveMessage = { type: string; [key: string]: unknown };

/** An open /live socket and what it received. */
export interface LiveSocket {
  readonly socket: WebSocket;
  readonly inbox: Inbox<LiveMessage>;
  /** Resolves with the close code. */
  readonly closed: Promise<number>;
  close(): Promise<void>;
}

/** Opens a WebSocket and waits until it is open (rejects with the refusal's status otherwise). */
export async function openLiveSocket(url: string, protocols?: string[]): Promise<LiveSocket> {
  const socket = new WebSocket(url, protocols);
  const inbox = new Inbox<LiveMessage>();
  const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
  socket.on('message', (data) => inbox.push(JSON.parse(String(data)) as LiveMessage));
  socket.on('close', (code) => inbox.end(new Error(`socket closed with ${code}`)));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${url} did not open within ${defaultWaitMs} ms`)),
      defaultWaitMs,
    );
    socket.once('open', () => {
      clearTimeout(timer);
      resolve();
    });
    socket.once('unexpected-response', (_request, response) => {
      clearTimeout(timer);
      reject(new Error(`upgrade refused with ${response.statusCode}`));
    });
    socket.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
  return {
    socket,
    inbox,
    closed,
    async close() {
      if (socket.readyState !== WebSocket.CLOSED) socket.close();
      await closed;
    },
  };
}

/** What an upgrade that the server refused answered. */
export interface Refusal {
  status: number;
  contentType: string | undefined;
  body: Record<string, unknown>;
}

/** Tries an upgrade the server should refuse; resolves with its HTTP status and problem+json body. */
export function refusedUpgrade(
  url: string,
  options: { protocols?: string[]; headers?: Record<string, string> } = {},
) {
  return new Promise<Refusal>((resolve, reject) => {
    const socket = new WebSocket(url, options.protocols, { headers: options.headers });
    const timer = setTimeout(() => reject(new Error(`${url} neither opened nor was refused`)), defaultWaitMs);
    socket.once('open', () => {
      clearTimeout(timer);
      socket.terminate();
      reject(new Error(`${url} opened; a refusal was expected`));
    });
    socket.once('unexpected-response', (_request, response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        text += chunk;
      });
      response.on('end', () => {
        clearTimeout(timer);
        resolve({
          status: response.statusCode ?? 0,
          contentType: response.headers['content-type'],
          body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
        });
      });
    });
    socket.once('error', () => undefined);
  });
}

/** One parsed Server-Sent Event. */
export interface SseEvent {
  id: string | undefined;
  event: string;
  data: string;
}

/** An open event stream and the events read from it. */
export interface SseReader {
  readonly response: Response;
  readonly inbox: Inbox<SseEvent>;
  close(): void;
}

/** Opens an event stream with fetch and parses it (the WHATWG rules this app's streams use: LF lines). */
export async function openSse(url: string, headers: Record<string, string> = {}): Promise<SseReader> {
  const controller = new AbortController();
  const response = await fetch(url, {
    headers: { accept: 'text/event-stream', ...headers },
    signal: controller.signal,
  });
  const inbox = new Inbox<SseEvent>();
  if (response.ok && response.body) {
    void (async () => {
      const decoder = new TextDecoder();
      let buffer = '';
      try {
        for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
          buffer += decoder.decode(chunk, { stream: true });
          for (let end = buffer.indexOf('\n\n'); end !== -1; end = buffer.indexOf('\n\n')) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const event = parseBlock(block);
            if (event) inbox.push(event);
          }
        }
        inbox.end(new Error('the stream ended'));
      } catch (error) {
        inbox.end(error as Error);
      }
    })();
  }
  return { response, inbox, close: () => controller.abort() };
}

function parseBlock(block: string): SseEvent | undefined {
  let id: string | undefined;
  let event = 'message';
  const data: string[] = [];
  for (const line of block.split('\n')) {
    if (line.startsWith(':') || line === '') continue;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'id') id = value;
    else if (field === 'event') event = value;
    else if (field === 'data') data.push(value);
  }
  return data.length > 0 ? { id, event, data: data.join('\n') } : undefined;
}
