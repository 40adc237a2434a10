// The request source for node:http: a few fields read from IncomingMessage; the Request view
// (node-fetch-request.ts), the AbortController and the body stream are only built when someone reads
// them. Benchmark "cost per request: the Request" (bench/request-cost.ts): an undici Request with its
// Headers and signal costs tens of µs, more than everything raw node:http spends on a request; this
// source costs ~20 ns and the view about as much until a member is read.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { concat, readStream, tooLarge } from './body.js';
import type { RequestSource } from './context.js';
import { HttpError, usageError } from './errors.js';
import { NodeFetchRequest, plainOrigin } from './node-fetch-request.js';

/** A body a host framework already parsed (express.json(), Fastify's parsers). */
export interface ParsedBody {
  value: unknown;
  /** The bytes the client sent, when the host kept them (express.json({ verify: rawBody })). */
  raw?: Uint8Array | undefined;
}

function rawBodyUnavailable(): HttpError {
  return usageError(
    'ERR_HTTP_RAW_BODY_UNAVAILABLE',
    'A body parser of the host framework (e.g. express.json()) read the request body before @plinth/http and kept no raw bytes, so ctx.body.text()/bytes()/stream() cannot return what the client sent. Mount the Plinth app before body parsers, or keep the bytes: express.json({ verify: rawBody }) with rawBody from @plinth/http/express (any parser that sets req.rawBody works). ctx.body.json() and form() still read the parsed value.',
  );
}

const encoder = new TextEncoder();

/** Re-serializes a body a host framework parsed, in the form its Content-Type announces. */
export function serializeParsedBody(value: unknown, contentType: string | undefined): Uint8Array {
  if (value instanceof Uint8Array) return value;
  if (typeof value === 'string') return encoder.encode(value);
  if (
    contentType?.toLowerCase().startsWith('application/x-www-form-urlencoded') &&
    typeof value === 'object' &&
    value !== null
  ) {
    const form = new URLSearchParams();
    for (const [key, entry] of Object.entries(value)) {
      for (const item of Array.isArray(entry) ? entry : [entry]) {
        form.append(key, typeof item === 'string' ? item : JSON.stringify(item));
      }
    }
    return encoder.encode(form.toString());
  }
  return encoder.encode(JSON.stringify(value) ?? '');
}

function readNodeBody(req: IncomingMessage, limit: number): Promise<Uint8Array> {
  if (req.readableEnded) {
    return Promise.reject(
      usageError(
        'ERR_HTTP_BODY_CONSUMED',
        'The request body was already read by another middleware and not left on req.body; mount @plinth/http before body parsers, or keep their result on req.body.',
      ),
    );
  }
  return new Promise((resolve, reject) => {
    const chunks: Uint8Array[] = [];
    let size = 0;
    // Whichever of end, error and close comes first decides; 'close' follows every request, so the later
    // ones must not even build their error. The listeners stay on this request's own stream instead of
    // being taken off one by one (benchmark "HTTP ctx.request: POST small JSON"); only 'data' is taken off,
    // to stop collecting.
    let settled = false;
    const onData = (chunk: Buffer) => {
      size += chunk.byteLength;
      if (size > limit) {
        settled = true;
        req.off('data', onData);
        // Keep draining (and dropping) what the client still sends, so it can read our 413 instead of a
        // reset; the connection closes after the response (node-response.ts).
        req.resume();
        reject(tooLarge(limit));
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.on('end', () => {
      if (settled) return;
      settled = true;
      resolve(concat(chunks, size));
    });
    req.on('error', (error: Error) => {
      if (settled) return;
      settled = true;
      reject(
        new HttpError(400, 'The request body could not be read.', { code: 'MALFORMED_BODY', cause: error }),
      );
    });
    req.on('close', () => {
      if (settled) return;
      settled = true;
      reject(
        new HttpError(400, 'The client closed the connection before sending the whole body.', {
          code: 'MALFORMED_BODY',
        }),
      );
    });
  });
}

/** Internal: a {@link RequestSource} over node's IncomingMessage/ServerResponse. */
export class NodeRequestSource implements RequestSource {
  readonly method: string;
  readonly target: string;
  readonly #req: IncomingMessage;
  readonly #res: ServerResponse;
  readonly #parsed: ParsedBody | undefined;
  readonly #originalUrl: string;
  #controller: AbortController | undefined = undefined;
  #origin: string | undefined = undefined;
  #bytes: Promise<Uint8Array> | undefined = undefined;
  #webBody: ReadableStream<Uint8Array> | null | undefined = undefined;

  constructor(req: IncomingMessage, res: ServerResponse, parsed?: ParsedBody, originalUrl?: string) {
    this.#req = req;
    this.#res = res;
    if (parsed?.raw !== undefined) {
      // The host kept the bytes it parsed: read them as if from the socket, with our own rules.
      this.#bytes = Promise.resolve(parsed.raw);
      this.#parsed = undefined;
    } else {
      this.#parsed = parsed;
    }
    this.method = req.method ?? 'GET';
    this.target = req.url ?? '/';
    this.#originalUrl = originalUrl ?? this.target;
  }

  get contentType(): string | undefined {
    return this.#req.headers['content-type'];
  }

  /** The value a host parser left, when its raw bytes are gone (body.json()/form() reuse it). */
  get parsed(): ParsedBody | undefined {
    return this.#parsed;
  }

  get contentLength(): number | undefined {
    if (this.#parsed !== undefined) return undefined;
    const length = this.#req.headers['content-length'];
    return length === undefined || !/^\d+$/.test(length) ? undefined : Number(length);
  }

  header(name: string): string | undefined {
    const value = this.#req.headers[name];
    if (value === undefined || typeof value === 'string') return value;
    return value.join(name === 'cookie' ? '; ' : ', ');
  }

  signal(): AbortSignal {
    if (this.#controller === undefined) {
      const controller = new AbortController();
      this.#controller = controller;
      const res = this.#res;
      // A response closed before it finished means the client went away.
      if (res.destroyed && !res.writableFinished) controller.abort(new Error('The client disconnected.'));
      else {
        res.once('close', () => {
          if (!res.writableFinished) controller.abort(new Error('The client disconnected.'));
        });
      }
    }
    return this.#controller.signal;
  }

  remoteAddress(): string | undefined {
    // The raw socket's peer, also under Express and Fastify (not req.ip, which may trust proxy headers).
    return this.#req.socket?.remoteAddress;
  }

  origin(): string {
    if (this.#origin === undefined) {
      const protocol = (this.#req.socket as { encrypted?: boolean }).encrypted ? 'https' : 'http';
      const host = this.#req.headers.host;
      let origin = `${protocol}://localhost`;
      if (host !== undefined) {
        try {
          origin = new URL(`${protocol}://${host}`).origin;
        } catch {
          // A malformed Host header must not break the request: fall back to localhost.
        }
      }
      this.#origin = origin;
    }
    return this.#origin;
  }

  /** ctx.request: a Request view over this source that builds nothing until used (node-fetch-request.ts). */
  request(bodyLimit: number): Request {
    return new NodeFetchRequest(this, bodyLimit) as unknown as Request;
  }

  /** origin() without the URL parser for a plain Host (nearly every request), for ctx.request.url. */
  requestOrigin(): string {
    const protocol = (this.#req.socket as { encrypted?: boolean }).encrypted ? 'https' : 'http';
    return plainOrigin(protocol, this.#req.headers.host) ?? this.origin();
  }

  /** The request target as the client sent it (under Express: originalUrl), for ctx.request.url. */
  requestTarget(): string {
    return this.#originalUrl;
  }

  /** Node's raw header lines, for ctx.request.headers. */
  rawHeaders(): readonly string[] {
    return this.#req.rawHeaders;
  }

  #readable(): ReadableStream<Uint8Array> {
    const bytes = this.#bytes ?? Promise.resolve(serializeParsedBody(this.#parsed?.value, this.contentType));
    return new ReadableStream<Uint8Array>({
      async start(controller) {
        controller.enqueue(await bytes);
        controller.close();
      },
    });
  }

  read(limit: number): Promise<Uint8Array> {
    if (this.#parsed !== undefined) return Promise.reject(rawBodyUnavailable());
    if (this.#webBody !== undefined) return readStream(this.#webBody, limit);
    if (this.#bytes === undefined) {
      this.#bytes = readNodeBody(this.#req, limit);
      return this.#bytes;
    }
    // Read before (by ctx.request or ctx.body under another limit, or kept by the host): this limit holds too.
    return this.#bytes.then((bytes) => {
      if (bytes.byteLength > limit) throw tooLarge(limit);
      return bytes;
    });
  }

  stream(): ReadableStream<Uint8Array> | null {
    if (this.#parsed !== undefined) throw rawBodyUnavailable();
    if (this.#bytes !== undefined) return this.#readable();
    if (this.#webBody !== undefined) return this.#webBody;
    this.#webBody = Readable.toWeb(this.#req) as unknown as ReadableStream<Uint8Array>;
    return this.#webBody;
  }
}
