// Writing a Response to node's ServerResponse: string and byte bodies in one writeHead + end, streams
// chunk by chunk with backpressure, and a client disconnect cancelling the stream.
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { concat } from './body.js';
import { usageError } from './errors.js';
import { fastState } from './response.js';
import { undiciSource } from './undici-body.js';

function nodeHeaders(headers: Headers): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {};
  headers.forEach((value, name) => {
    if (name !== 'set-cookie') out[name] = value;
  });
  const cookies = headers.getSetCookie();
  if (cookies.length > 0) out['set-cookie'] = cookies;
  return out;
}

function waitForDrain(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

const disconnected = () => new Error('The client disconnected.');

/**
 * Cancels the stream when the client goes away while we wait for its next chunk (a stalled upstream would
 * otherwise hold the reader forever); returns the function that stops watching.
 */
function cancelOnClose(res: ServerResponse, reader: ReadableStreamDefaultReader<Uint8Array>): () => void {
  const onClose = () => {
    if (!res.writableFinished) reader.cancel(disconnected()).catch(() => {});
  };
  res.once('close', onClose);
  return () => res.off('close', onClose);
}

async function pipeBody(reader: ReadableStreamDefaultReader<Uint8Array>, res: ServerResponse): Promise<void> {
  const unwatch = cancelOnClose(res, reader);
  try {
    for (;;) {
      if (res.destroyed) {
        await reader.cancel(disconnected());
        return;
      }
      const { done, value } = await reader.read();
      if (done) break;
      if (res.destroyed) {
        await reader.cancel(disconnected());
        return;
      }
      if (!res.write(value)) await waitForDrain(res);
    }
    res.end();
  } catch (error) {
    // The stream failed after the status line went out: all we can do is cut the connection.
    reader.cancel(error).catch(() => {});
    res.destroy(error instanceof Error ? error : new Error(String(error)));
  } finally {
    unwatch();
  }
}

// A declared Content-Length up to this size is read whole and sent in one end() (see sendCollected).
const COLLECT_LIMIT = 64 * 1024;

/**
 * A stream body of a declared, small length: read whole, then one writeHead + end with the length it
 * really has, instead of a write per chunk (the status line waits for the whole body, where it waited for
 * the first chunk). A body longer than COLLECT_LIMIT after all goes on as a stream; a stream that fails
 * before anything was sent rejects, and the adapter answers 500.
 */
async function sendCollected(
  body: ReadableStream<Uint8Array>,
  res: ServerResponse,
  response: Response,
  headers: OutgoingHttpHeaders,
): Promise<void> {
  const reader = body.getReader();
  const unwatch = cancelOnClose(res, reader);
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      let next: ReadableStreamReadResult<Uint8Array>;
      try {
        next = await reader.read();
      } catch (error) {
        reader.cancel(error).catch(() => {});
        throw error;
      }
      if (res.destroyed) {
        await reader.cancel(disconnected()).catch(() => {});
        return;
      }
      if (next.done) break;
      chunks.push(next.value);
      size += next.value.byteLength;
      if (size > COLLECT_LIMIT) {
        res.writeHead(response.status, response.statusText || undefined, headers);
        for (const chunk of chunks) res.write(chunk);
        unwatch();
        return pipeBody(reader, res);
      }
    }
  } finally {
    unwatch();
  }
  headers['content-length'] = String(size);
  res.writeHead(response.status, response.statusText || undefined, headers);
  res.end(concat(chunks, size));
}

/** Internal: whether the client is still sending a body nobody read (the connection must close after). */
export function unreadBody(req: IncomingMessage): boolean {
  return (
    !req.complete &&
    (req.headers['content-length'] !== undefined || req.headers['transfer-encoding'] !== undefined)
  );
}

/** Writes `response` to `res`; returns a promise only when the body is a stream. */
export function writeResponse(
  req: IncomingMessage,
  res: ServerResponse,
  response: Response,
): void | Promise<void> {
  if (res.headersSent || res.destroyed) return;
  // A body we did not read (413, or a handler that ignored it) cannot be skipped on a kept-alive
  // connection: close it after this response.
  if (unreadBody(req)) res.setHeader('connection', 'close');
  const state = fastState(response);
  if (state !== undefined) {
    const body = state.body;
    if (body === null || typeof body === 'string' || body instanceof Uint8Array) {
      // Benchmark "HTTP GET /" (bench/http.ts): one writeHead + end with a precomputed Content-Length
      // instead of streaming a real Response body, the largest single win of the node adapter.
      const headers = state.headers instanceof Headers ? nodeHeaders(state.headers) : state.headers;
      if (body !== null) {
        headers['content-length'] = String(
          typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength,
        );
      }
      res.writeHead(state.status, headers as OutgoingHttpHeaders);
      res.end(body ?? undefined);
      return;
    }
  }
  if (response.bodyUsed) {
    // Nothing is sent yet: the adapter answers 500 rather than cutting the connection mid-response.
    throw usageError(
      'ERR_HTTP_BODY_CONSUMED',
      `The Response for ${req.method} ${req.url} was returned after its body was read; read a clone() instead, or return a new Response.`,
    );
  }
  const headers = nodeHeaders(response.headers);
  const body = response.body;
  if (body === null || req.method === 'HEAD') {
    res.writeHead(response.status, response.statusText || undefined, headers);
    body?.cancel().catch(() => {});
    res.end();
    return;
  }
  const source = undiciSource(response);
  if (source !== undefined) {
    // A Response made from a string or bytes (@plinth/handlers' own, a library's): the bytes it holds,
    // written like a helper's, without reading its web stream (which nobody else can read afterwards).
    headers['content-length'] = String(
      typeof source === 'string' ? Buffer.byteLength(source) : source.byteLength,
    );
    res.writeHead(response.status, response.statusText || undefined, headers);
    res.end(source);
    return;
  }
  const declared = headers['content-length'];
  if (declared !== undefined && Number(declared) <= COLLECT_LIMIT) {
    return sendCollected(body, res, response, headers);
  }
  res.writeHead(response.status, response.statusText || undefined, headers);
  return pipeBody(body.getReader(), res);
}
