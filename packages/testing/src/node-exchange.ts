// One in-process HTTP exchange for node-style handlers: a real IncomingMessage and ServerResponse on a
// socket that never touches the network. The response is captured as it is written (own-property
// write/end/writeHead, so they survive Express re-parenting req/res onto its own prototypes) and
// its head is read from the header block node itself serialized, so headers are the ones on the wire.
import { IncomingMessage, ServerResponse } from 'node:http';
import { Duplex } from 'node:stream';
import { BodyBuffer } from './body-buffer.js';
import { TestingError } from './errors.js';
import type { NormalizedRequest } from './inject-request.js';
import type { ResponseHead } from './inject-response.js';

/** A node request listener, as `http.createServer` takes it (Express apps are one). */
export type NodeHandler = (req: IncomingMessage, res: ServerResponse) => unknown;

/** The socket both messages sit on: writes are discarded, it reports a loopback peer. */
class LoopbackSocket extends Duplex {
  readonly remoteAddress = '127.0.0.1';
  readonly remotePort = 49152;
  readonly remoteFamily = 'IPv4';
  readonly localAddress = '127.0.0.1';
  readonly localPort = 80;
  override _read(): void {}
  override _write(_chunk: unknown, _encoding: BufferEncoding, callback: () => void): void {
    callback();
  }
  address(): { address: string; family: string; port: number } {
    return { address: this.localAddress, family: 'IPv4', port: this.localPort };
  }
  setTimeout(): this {
    return this;
  }
  setNoDelay(): this {
    return this;
  }
  setKeepAlive(): this {
    return this;
  }
  ref(): this {
    return this;
  }
  unref(): this {
    return this;
  }
}

function buildIncoming(request: NormalizedRequest, socket: LoopbackSocket): IncomingMessage {
  const req = new IncomingMessage(socket as never);
  req.method = request.method;
  req.url = request.target;
  req.httpVersion = '1.1';
  req.httpVersionMajor = 1;
  req.httpVersionMinor = 1;
  const pairs: Array<[string, string]> = [...request.headers];
  const has = (name: string) => pairs.some(([key]) => key.toLowerCase() === name);
  if (!has('host')) pairs.unshift(['host', 'localhost']);
  if (request.body instanceof Uint8Array && !has('content-length')) {
    pairs.push(['content-length', String(request.body.byteLength)]);
  } else if (request.body instanceof ReadableStream && !has('content-length')) {
    pairs.push(['transfer-encoding', 'chunked']);
  }
  req.rawHeaders = pairs.flat();
  const headers: Record<string, string | string[]> = {};
  // node joins repeated headers with ", " except set-cookie (an array) and cookie ("; ").
  for (const [name, value] of pairs) {
    const key = name.toLowerCase();
    const previous = headers[key];
    if (key === 'set-cookie') headers[key] = [...((previous as string[] | undefined) ?? []), value];
    else if (previous === undefined) headers[key] = value;
    else headers[key] = `${previous}${key === 'cookie' ? '; ' : ', '}${value}`;
  }
  req.headers = headers as IncomingMessage['headers'];
  return req;
}

async function feedBody(req: IncomingMessage, body: NormalizedRequest['body']): Promise<void> {
  if (body instanceof ReadableStream) {
    const reader = body.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        req.push(value);
      }
    } catch (error) {
      req.destroy(error as Error);
      return;
    }
  } else if (body && body.byteLength > 0) {
    req.push(body);
  }
  req.complete = true;
  req.push(null);
}

// The header block node wrote ("HTTP/1.1 200 OK\r\nName: value\r\n..."), parsed back.
function parseHeaderBlock(block: string): Headers {
  const headers = new Headers();
  for (const line of block.split('\r\n').slice(1)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    headers.append(line.slice(0, colon), line.slice(colon + 1).trim());
  }
  return headers;
}

function headersFromResponse(res: ServerResponse): Headers {
  const block = (res as unknown as { _header?: unknown })._header;
  if (typeof block === 'string') return parseHeaderBlock(block);
  const headers = new Headers();
  for (const [name, value] of Object.entries(res.getHeaders())) {
    for (const item of Array.isArray(value) ? value : [value]) headers.append(name, String(item));
  }
  return headers;
}

function toBytes(chunk: unknown, encoding: unknown): Uint8Array | undefined {
  if (chunk === undefined || chunk === null || typeof chunk === 'function') return undefined;
  if (chunk instanceof Uint8Array) return chunk;
  return Buffer.from(String(chunk), typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8');
}

/**
 * Runs `handler` on one fake exchange; resolves with the response head as soon as the app commits
 * it, while the body streams on; rejects when the handler throws before answering.
 */
export function dispatchNode(handler: NodeHandler, request: NormalizedRequest): Promise<ResponseHead> {
  const socket = new LoopbackSocket();
  const req = buildIncoming(request, socket);
  const res = new ServerResponse(req);
  res.assignSocket(socket as never);
  const hasBody = request.method !== 'HEAD';
  const body = new BodyBuffer(() => hangUp());
  const enqueue = (bytes: Uint8Array | undefined) => {
    if (hasBody && bytes) body.push(bytes);
  };
  const closeStream = () => body.close();
  // A client that goes away: the socket closes, the request is aborted, res emits 'close'.
  function hangUp() {
    if (res.writableFinished) return;
    socket.destroy();
    req.destroy();
    closeStream();
  }

  return new Promise<ResponseHead>((resolve, reject) => {
    let committed = false;
    const commit = () => {
      if (committed) return;
      committed = true;
      resolve({
        status: res.statusCode,
        statusText: res.statusMessage ?? '',
        headers: headersFromResponse(res),
        body,
        abort: () => {
          closeStream();
          hangUp();
        },
      });
    };
    const original = ServerResponse.prototype;
    const own = res as unknown as Record<string, unknown>;
    own.writeHead = function writeHead(this: ServerResponse, ...args: unknown[]) {
      const result = (original.writeHead as (...a: unknown[]) => ServerResponse).apply(this, args);
      commit();
      return result;
    };
    own.write = function write(this: ServerResponse, chunk: unknown, encoding?: unknown, callback?: unknown) {
      const result = (original.write as (...a: unknown[]) => boolean).call(this, chunk, encoding, callback);
      commit();
      enqueue(toBytes(chunk, encoding));
      return result;
    };
    own.end = function end(this: ServerResponse, chunk?: unknown, encoding?: unknown, callback?: unknown) {
      const finished = this.writableEnded;
      const result = (original.end as (...a: unknown[]) => ServerResponse).call(
        this,
        chunk,
        encoding,
        callback,
      );
      if (!finished) {
        commit();
        enqueue(toBytes(chunk, encoding));
        closeStream();
      }
      return result;
    };
    // As node's server does once the response is done: drain the request, close both messages.
    res.once('finish', () => {
      if (!req.readableEnded) req.resume();
      res.detachSocket(socket as never);
      process.nextTick(() => res.emit('close'));
    });
    request.signal?.addEventListener('abort', hangUp, { once: true });
    res.once('close', () => {
      if (!committed) {
        reject(
          new TestingError(
            'ERR_TESTING_NO_RESPONSE',
            `inject: ${request.method} ${request.target}: the connection closed before the app answered (it destroyed the socket or the client hung up).`,
          ),
        );
      }
      closeStream();
    });
    void feedBody(req, request.body);
    try {
      const returned = handler(req, res);
      if (returned && typeof (returned as Promise<unknown>).then === 'function') {
        (returned as Promise<unknown>).then(undefined, (error: unknown) => {
          if (!committed) reject(error);
        });
      }
    } catch (error) {
      reject(error);
    }
  });
}
