// Request bodies: JSON, text, forms (urlencoded and multipart), bytes and streams, each read at most
// once, under a size limit (413), behind a content-type check (415), malformed input answered with 400.
import { HttpError, usageError } from './errors.js';

/** Options of one body read. */
export interface BodyOptions {
  /** Largest accepted body in bytes; the app's `bodyLimit` (1 MiB by default) unless given. */
  limit?: number;
}

/** The request body, read on demand. Reading it twice in the same form returns the same result. */
export interface Body {
  /** Parses `application/json` or `*+json`; rejects `__proto__`/`constructor.prototype` keys with 400. */
  json<T = unknown>(options?: BodyOptions): Promise<T>;
  /** The body as text, decoded as UTF-8 (or the declared charset). */
  text(options?: BodyOptions): Promise<string>;
  /** `application/x-www-form-urlencoded` or `multipart/form-data` as `FormData`. */
  form(options?: BodyOptions): Promise<FormData>;
  /** The raw bytes. */
  bytes(options?: BodyOptions): Promise<Uint8Array>;
  /** The raw bytes as a stream; chunks past the limit error the stream with a 413. */
  stream(options?: BodyOptions): ReadableStream<Uint8Array>;
}

/** Where a body comes from: implemented once per runtime (fetch, node:http, Express/Fastify parsed). */
export interface BodySource {
  /** The `Content-Type` header. */
  readonly contentType: string | undefined;
  /** The declared `Content-Length`, when there is one. */
  readonly contentLength: number | undefined;
  /**
   * Reads the whole body, rejecting with a 413 `HttpError` past `limit` bytes; also when it returns bytes
   * read earlier (under another limit), so the caller's first read needs no check of its own.
   */
  read(limit: number): Promise<Uint8Array>;
  /** The body as a stream (taken once). */
  stream(): ReadableStream<Uint8Array> | null;
  /**
   * What a host framework's parser left when it kept no raw bytes: `json()` and `form()` reuse it,
   * while `read()`/`stream()` refuse (the bytes the client sent are gone).
   */
  readonly parsed?: { value: unknown } | undefined;
}

function formOfParsed(value: unknown): FormData {
  const form = new FormData();
  if (value !== null && typeof value === 'object') {
    for (const [key, entry] of Object.entries(value)) {
      for (const item of Array.isArray(entry) ? entry : [entry]) {
        form.append(key, typeof item === 'string' ? item : JSON.stringify(item));
      }
    }
  }
  return form;
}

/** A 413 naming the limit. */
export function tooLarge(limit: number): HttpError {
  return new HttpError(413, `The request body is larger than the limit of ${limit} bytes.`, {
    code: 'CONTENT_TOO_LARGE',
  });
}

/** Reads a web stream under a byte limit, cancelling it as soon as the limit is passed. */
export async function readStream(
  body: ReadableStream<Uint8Array> | null,
  limit: number,
): Promise<Uint8Array> {
  if (body === null) return new Uint8Array(0);
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      throw tooLarge(limit);
    }
    chunks.push(value);
  }
  return concat(chunks, size);
}

/** Joins chunks into one array. */
export function concat(chunks: Uint8Array[], size: number): Uint8Array {
  if (chunks.length === 1) return chunks[0] as Uint8Array;
  const out = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

// The Content-Type nearly every JSON client sends, answered without slicing, a regular expression or a
// TextDecoder of its own (benchmark "HTTP ctx.request: POST small JSON", bench/request-read.ts).
const PLAIN_JSON = 'application/json';
const PLAIN_JSON_UTF8 = 'application/json; charset=utf-8';

function mediaType(contentType: string | undefined): string {
  if (contentType === undefined) return '';
  if (contentType === PLAIN_JSON || contentType === PLAIN_JSON_UTF8) return PLAIN_JSON;
  const semicolon = contentType.indexOf(';');
  return (semicolon === -1 ? contentType : contentType.slice(0, semicolon)).trim().toLowerCase();
}

function charset(contentType: string | undefined): string {
  // No parameters, no charset: the regular expression below would find nothing.
  if (contentType === undefined || contentType === PLAIN_JSON_UTF8 || !contentType.includes(';')) {
    return 'utf-8';
  }
  const match = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(contentType);
  return match?.[1]?.toLowerCase() ?? 'utf-8';
}

// One fatal UTF-8 decoder for every request: decode() without { stream } keeps no state between calls,
// and, as a new one would, it drops a leading byte order mark.
let utf8: TextDecoder | undefined;

function unsupported(expected: string, actual: string): HttpError {
  return new HttpError(
    415,
    `Expected a ${expected} body, got ${actual === '' ? 'no Content-Type' : `"${actual}"`}.`,
    {
      code: 'UNSUPPORTED_MEDIA_TYPE',
    },
  );
}

function malformed(message: string, cause?: unknown): HttpError {
  return new HttpError(400, message, { code: 'MALFORMED_BODY', cause });
}

function decoderFor(contentType: string | undefined): TextDecoder {
  const label = charset(contentType);
  if (label === 'utf-8' || label === 'utf8') {
    utf8 ??= new TextDecoder('utf-8', { fatal: true });
    return utf8;
  }
  try {
    return new TextDecoder(label, { fatal: true });
  } catch {
    throw new HttpError(415, `The charset "${label}" is not supported.`, {
      code: 'UNSUPPORTED_MEDIA_TYPE',
    });
  }
}

function decode(bytes: Uint8Array, contentType: string | undefined): string {
  const decoder = decoderFor(contentType);
  try {
    return decoder.decode(bytes);
  } catch (error) {
    throw malformed('The request body is not valid text in its declared charset.', error);
  }
}

// Prototype poisoning (as in Fastify's secure-json-parse): JSON.parse makes "__proto__" an own key, which
// is harmless until someone merges the object into another; we refuse such bodies outright.
function rejectPoison(key: string, value: unknown): unknown {
  if (key === '__proto__') throw malformed('The JSON body contains a forbidden "__proto__" key.');
  if (key === 'constructor' && value !== null && typeof value === 'object' && 'prototype' in value) {
    throw malformed('The JSON body contains a forbidden "constructor.prototype" key.');
  }
  return value;
}

/** Parses JSON text, answering 400 for malformed or prototype-poisoning input. */
export function parseJson(text: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    // Only a failed parse pays for the copy trim() makes: whitespace alone is never valid JSON.
    if (text.trim() === '') throw malformed('The JSON body is empty.');
    throw malformed('The request body is not valid JSON.', error);
  }
  // The reviver pass runs only when a forbidden key could be there: "proto" (in `__proto__`), "onstr"
  // (in `constructor`) or a \u escape, which can spell either and which JSON.parse turns into the
  // same own key. "onstr" rather than "constructor": V8 finds it in ~1,900 instructions against ~4,200
  // on a 2.3 kB body (callgrind, @plinth/validation's bench payload).
  if (text.includes('proto') || text.includes('onstr') || text.includes('\\u')) {
    try {
      JSON.parse(text, rejectPoison);
    } catch (error) {
      if (error instanceof HttpError) throw error;
    }
  }
  return value;
}

/**
 * The {@link Body} of one request over its source: one object per request whose methods live on the
 * prototype (a closure per method per request was ~400 bytes of garbage and a lazy-compile stub on
 * each first call; @plinth/validation's bench "HTTP POST /orders").
 */
class RequestBody implements Body {
  readonly #source: BodySource;
  readonly #defaultLimit: number;
  #bytes: Promise<Uint8Array> | undefined;
  #streamed = false;

  constructor(source: BodySource, defaultLimit: number) {
    this.#source = source;
    this.#defaultLimit = defaultLimit;
  }

  #limitOf(options: BodyOptions | undefined): number {
    const limit = options?.limit ?? this.#defaultLimit;
    if (!Number.isFinite(limit) || limit < 0) {
      throw usageError(
        'ERR_HTTP_INVALID_OPTIONS',
        `Body limit ${limit} is invalid; use a number of bytes ≥ 0.`,
      );
    }
    return limit;
  }

  bytes(options?: BodyOptions): Promise<Uint8Array> {
    const limit = this.#limitOf(options);
    const bytes = this.#bytes;
    if (bytes === undefined) {
      if (this.#streamed) {
        return Promise.reject(
          usageError(
            'ERR_HTTP_BODY_CONSUMED',
            'The body was already taken with ctx.body.stream(); read it only once.',
          ),
        );
      }
      const declared = this.#source.contentLength;
      // Refuse before reading a byte when the client announces too much. The first read is under this
      // very limit (BodySource.read enforces it): no second promise.
      this.#bytes =
        declared !== undefined && declared > limit
          ? Promise.reject(tooLarge(limit))
          : this.#source.read(limit);
      return this.#bytes;
    }
    return bytes.then((body) => {
      if (body.byteLength > limit) throw tooLarge(limit);
      return body;
    });
  }

  async text(options?: BodyOptions): Promise<string> {
    return decode(await this.bytes(options), this.#source.contentType);
  }

  async json<T>(options?: BodyOptions): Promise<T> {
    const source = this.#source;
    const type = mediaType(source.contentType);
    if (type !== 'application/json' && !type.endsWith('+json'))
      throw unsupported('JSON (application/json)', type);
    if (source.parsed !== undefined) return source.parsed.value as T;
    return parseJson(decode(await this.bytes(options), source.contentType)) as T;
  }

  async form(options?: BodyOptions): Promise<FormData> {
    const source = this.#source;
    const type = mediaType(source.contentType);
    if (type === 'application/x-www-form-urlencoded') {
      if (source.parsed !== undefined) return formOfParsed(source.parsed.value);
      const form = new FormData();
      for (const [key, value] of new URLSearchParams(decode(await this.bytes(options), source.contentType))) {
        form.append(key, value);
      }
      return form;
    }
    if (type === 'multipart/form-data') {
      const body = await this.bytes(options);
      try {
        return await new Response(body as BodyInit, {
          headers: { 'content-type': source.contentType ?? '' },
        }).formData();
      } catch (error) {
        throw malformed('The multipart/form-data body is malformed.', error);
      }
    }
    throw unsupported('form (application/x-www-form-urlencoded or multipart/form-data)', type);
  }

  stream(options?: BodyOptions): ReadableStream<Uint8Array> {
    const limit = this.#limitOf(options);
    const cached = this.#bytes;
    if (cached !== undefined) {
      return new ReadableStream<Uint8Array>({
        async start(controller) {
          controller.enqueue(await cached);
          controller.close();
        },
      });
    }
    if (this.#streamed) {
      throw usageError('ERR_HTTP_BODY_CONSUMED', 'The body stream was already taken; read it only once.');
    }
    this.#streamed = true;
    const raw = this.#source.stream();
    if (raw === null) return new ReadableStream<Uint8Array>({ start: (controller) => controller.close() });
    let size = 0;
    return raw.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          size += chunk.byteLength;
          if (size > limit) controller.error(tooLarge(limit));
          else controller.enqueue(chunk);
        },
      }),
    );
  }
}

/** Creates the {@link Body} of one request over its source. */
export function createBody(source: BodySource, defaultLimit: number): Body {
  return new RequestBody(source, defaultLimit);
}
