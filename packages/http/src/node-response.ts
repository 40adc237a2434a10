// Writing a Response to node's ServerResponse: string and byte bodies in one writeHead + end, streams
// chunk by chunk with backpressure, and a client disconnect cancelling the stream.
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { fastState } from './response.js';

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

async function pipeBody(body: ReadableStream<Uint8Array>, res: ServerResponse): Promise<void> {
  const reader = body.getReader();
  try {
    for (;;) {
      if (res.destroyed) {
        await reader.cancel(new Error('The client disconnected.'));
        return;
      }
      const { done, value } = await reader.read();
      if (done) break;
      if (res.destroyed) {
        await reader.cancel(new Error('The client disconnected.'));
        return;
      }
      if (!res.write(value)) await waitForDrain(res);
    }
    res.end();
  } catch (error) {
    // The stream failed after the status line went out: all we can do is cut the connection.
    reader.cancel(error).catch(() => {});
    res.destroy(error instanceof Error ? error : new Error(String(error)));
  }
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
  res.writeHead(response.status, response.statusText || undefined, nodeHeaders(response.headers));
  const body = response.body;
  if (body === null || req.method === 'HEAD') {
    body?.cancel().catch(() => {});
    res.end();
    return;
  }
  return pipeBody(body, res);
}
