// The `Request` that ctx.request is on node:http: an object whose prototype chain is Request.prototype, that
// answers method, url, headers, signal and the body straight from the node request, and builds a real undici
// Request only for what it cannot answer itself (clone(), fetch(request), new Request(request), cache, mode...).
// Benchmark "cost per request: the Request" (bench/request-cost.ts) and "HTTP ctx.request" (bench/request-read.ts).
import { Readable } from 'node:stream';
import { inspect } from 'node:util';
import { tooLarge } from './body.js';
import { HttpError } from './errors.js';
import { HeadersView, reportAsHeaders } from './headers-view.js';

/** Internal: what the view reads from (implemented by NodeRequestSource in node-request.ts). */
export interface NodeRequestParts {
  /** Upper-case method as node parsed it. */
  readonly method: string;
  readonly contentType: string | undefined;
  /** The declared Content-Length, undefined when absent or when a host framework parsed the body. */
  readonly contentLength: number | undefined;
  /** The request target as the client sent it (under Express: `originalUrl`). */
  requestTarget(): string;
  /** `http://host` as the client addressed it (serialised as the URL parser does). */
  requestOrigin(): string;
  /** Node's `rawHeaders`: names and values alternating, in the order received. */
  rawHeaders(): readonly string[];
  /** Aborts when the client goes away. */
  signal(): AbortSignal;
  /** The whole body, under a limit (shared with ctx.body: read once, cached). */
  read(limit: number): Promise<Uint8Array>;
  /** What a host framework's parser left when it kept no raw bytes (json() reuses it, as ctx.body does). */
  readonly parsed?: { value: unknown } | undefined;
}

/** Registered, so that a view made by the ESM build is recognised by the CJS build and the other way round. */
const kMaterialize = Symbol.for('@plinth/http.materializeRequest');

// undici refuses these methods in new Request() (fetch spec: forbidden methods), and any non-token.
const FORBIDDEN_METHOD = /^(?:connect|trace|track)$/i;
// A target the WHATWG URL parser leaves exactly as it is, after an origin that is already serialised: no
// character it would percent-encode or rewrite (quote, backtick, braces, caret, backslash, non-ASCII...), no
// "%2e" that could be a dot segment, no "." or ".." segment. Anything else goes through new URL().
const PLAIN_TARGET = /^\/[A-Za-z0-9\-._~!$&()*+,;=:@/?%]*$/;
const DOT_SEGMENT = /\/\.\.?(?:[/?]|$)|%2e/i;

// Host names the URL parser serialises as they are: lower-case labels that start with a letter (so never
// read as an IPv4 number), no punycode (which it would validate), or a canonical dotted-quad IPv4 address.
const PLAIN_NAME = /^[a-z][a-z0-9-]*(?:\.[a-z][a-z0-9-]*)*$/;
const IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;
const PORT = /^[1-9]\d{0,4}$/;

/**
 * `new URL(`${protocol}://${host}`).origin` without the URL parser, for the plain hosts nearly every request
 * carries; undefined for anything else (upper case, IPv6, punycode, odd ports), which takes the parser.
 */
export function plainOrigin(protocol: 'http' | 'https', host: string | undefined): string | undefined {
  if (host === undefined) return undefined;
  const colon = host.indexOf(':');
  const name = colon === -1 ? host : host.slice(0, colon);
  if (!IPV4.test(name) && !(PLAIN_NAME.test(name) && !name.includes('xn--'))) return undefined;
  if (colon === -1) return `${protocol}://${host}`;
  const port = host.slice(colon + 1);
  if (!PORT.test(port) || Number(port) > 65535) return undefined;
  // The URL parser drops the scheme's default port.
  return port === (protocol === 'https' ? '443' : '80') ? `${protocol}://${name}` : `${protocol}://${host}`;
}

/**
 * The URL `new Request(url)` would report for this target: origin-form targets (and `//x`) are resolved
 * against the origin, absolute-form targets stand alone. Throws a 400 when the target is not a URL.
 */
export function requestUrl(origin: string, target: string): string {
  const absolute = target.charCodeAt(0) !== 47;
  if (!absolute && PLAIN_TARGET.test(target) && !DOT_SEGMENT.test(target)) return origin + target;
  try {
    return new URL(absolute ? target : origin + target).href;
  } catch (error) {
    throw new HttpError(400, 'The request target is not a valid URL.', {
      code: 'MALFORMED_URL',
      cause: error,
    });
  }
}

// node's isDisturbed accepts web streams too (its types only name node streams).
const isDisturbed = Readable.isDisturbed as unknown as (stream: ReadableStream) => boolean;

function unusable(): TypeError {
  return new TypeError('Body is unusable: Body has already been read');
}

/** A JSON SyntaxError that error handlers also answer as a 400 (any error with a `status` is an HTTP error). */
function malformedJson(error: unknown): unknown {
  if (error instanceof SyntaxError) {
    Object.assign(error, { status: 400, expose: true, code: 'MALFORMED_BODY' });
  }
  return error;
}

/** application/json or any +json type: what a host's JSON parser produced (a form parser's value is no JSON). */
function isJsonType(contentType: string | undefined): boolean {
  const type = contentType?.split(';', 1)[0]?.trim().toLowerCase() ?? '';
  return type === 'application/json' || type.endsWith('+json');
}

function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

const decoder = new TextDecoder();

/** An empty stream, for a body that was already read (the caller locks it so that undici calls it unusable). */
function spentStream(): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({ start: (controller) => controller.close() });
}

// RFC 9110 §5.1 field-name token, as Headers.get() validates it.
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

const isHttpWhitespace = (code: number) => code === 32 || code === 9 || code === 10 || code === 13;

/** Fetch's header value normalisation: leading and trailing HTTP whitespace (not all of String#trim's). */
function trimHttpWhitespace(value: string): string {
  let start = 0;
  let end = value.length;
  while (start < end && isHttpWhitespace(value.charCodeAt(start))) start++;
  while (end > start && isHttpWhitespace(value.charCodeAt(end - 1))) end--;
  return start === 0 && end === value.length ? value : value.slice(start, end);
}

/** Fills a real Headers from node's raw header lines, as undici fills a Request's. */
function fillHeaders(raw: readonly string[]): Headers {
  const headers = new Headers();
  for (let index = 0; index + 1 < raw.length; index += 2) {
    const name = raw[index] as string;
    if (name.charCodeAt(0) === 58) continue; // HTTP/2 pseudo-headers
    headers.append(name, raw[index + 1] as string);
  }
  return headers;
}

/**
 * Internal: the Headers of ctx.request. get() and has(), what middleware calls, scan node's raw header
 * lines (16 strings for a browser request) instead of copying them into a Headers; every other member,
 * and any mutation, works on a real Headers filled on first use. Benchmark "cost per request: the Request".
 */
export class NodeFetchHeaders extends HeadersView {
  readonly #raw: readonly string[];
  #headers: Headers | undefined = undefined;

  constructor(raw: readonly string[]) {
    super();
    this.#raw = raw;
  }

  protected real(): Headers {
    this.#headers ??= fillHeaders(this.#raw);
    return this.#headers;
  }

  get(name: string): string | null {
    if (this.#headers !== undefined || typeof name !== 'string' || !TOKEN.test(name)) {
      return this.real().get(name);
    }
    const lower = name.toLowerCase();
    // undici joins repeated fields with ", ", cookies with "; " (as node does in req.headers).
    const separator = lower === 'cookie' ? '; ' : ', ';
    const raw = this.#raw;
    let value: string | null = null;
    for (let index = 0; index + 1 < raw.length; index += 2) {
      const field = raw[index] as string;
      if (field.length === lower.length && field.toLowerCase() === lower) {
        const item = trimHttpWhitespace(raw[index + 1] as string);
        value = value === null ? item : value + separator + item;
      }
    }
    return value;
  }

  has(name: string): boolean {
    if (this.#headers !== undefined || typeof name !== 'string' || !TOKEN.test(name)) {
      return this.real().has(name);
    }
    return this.get(name) !== null;
  }

  append(name: string, value: string): void {
    this.real().append(name, value);
  }

  delete(name: string): void {
    this.real().delete(name);
  }

  set(name: string, value: string): void {
    this.real().set(name, value);
  }

  getSetCookie(): string[] {
    return this.real().getSetCookie();
  }
}

reportAsHeaders(NodeFetchHeaders.prototype);
Object.defineProperty(NodeFetchHeaders.prototype, inspect.custom, {
  value(this: NodeFetchHeaders, depth: number, options: object) {
    return `Headers ${inspect(Object.fromEntries(this as unknown as Headers), { ...options, depth: depth < 0 ? null : depth - 1 })}`;
  },
});

/**
 * Internal: the lazy WHATWG Request of one node request. Construct it with `new NodeFetchRequest(parts, limit)`;
 * nothing is read or allocated until a member is used.
 */
export class NodeFetchRequest {
  readonly #parts: NodeRequestParts;
  readonly #limit: number;
  #url: string | undefined = undefined;
  #headers: Headers | undefined = undefined;
  #stream: ReadableStream<Uint8Array> | null | undefined = undefined;
  #used = false;
  #request: Request | undefined = undefined;

  constructor(parts: NodeRequestParts, limit: number) {
    this.#parts = parts;
    this.#limit = limit;
  }

  get method(): string {
    return this.#parts.method;
  }

  get url(): string {
    this.#url ??= requestUrl(this.#parts.requestOrigin(), this.#parts.requestTarget());
    return this.#url;
  }

  /** A Headers over node's raw headers: get()/has() scan them, anything else fills a real Headers once. */
  get headers(): Headers {
    this.#headers ??= new NodeFetchHeaders(this.#parts.rawHeaders()) as unknown as Headers;
    return this.#headers;
  }

  get signal(): AbortSignal {
    return this.#parts.signal();
  }

  get body(): ReadableStream<Uint8Array> | null {
    if (this.#request !== undefined) return this.#request.body;
    if (!this.#hasBody()) return null;
    if (this.#stream === undefined) {
      if (this.#used) {
        // Read through json()/text()...: hand out a stream that is already locked, as undici's is.
        this.#stream = spentStream();
        this.#stream.getReader();
      } else {
        this.#stream = this.#sourceStream();
      }
    }
    return this.#stream;
  }

  get bodyUsed(): boolean {
    if (this.#request !== undefined) return this.#used || this.#request.bodyUsed;
    if (this.#used) return true;
    return this.#stream != null && isDisturbed(this.#stream);
  }

  text(): Promise<string> {
    return this.#bytes((bytes) => decoder.decode(bytes), 'text');
  }

  json(): Promise<unknown> {
    const parsed = this.#parts.parsed;
    // The host (express.json(), a Fastify parser) parsed the body and kept no bytes: its value is the JSON
    // (also after clone(), whose real Request has no bytes to read).
    if (parsed !== undefined && isJsonType(this.#parts.contentType) && this.#hasBody() && !this.bodyUsed) {
      this.#used = true;
      return Promise.resolve(parsed.value);
    }
    if (this.#request !== undefined) {
      return this.#request.json().catch((error: unknown) => Promise.reject(malformedJson(error)));
    }
    return this.#bytes((bytes) => {
      try {
        return JSON.parse(decoder.decode(bytes)) as unknown;
      } catch (error) {
        throw malformedJson(error);
      }
    }, 'json');
  }

  arrayBuffer(): Promise<ArrayBuffer> {
    return this.#bytes(toArrayBuffer, 'arrayBuffer');
  }

  bytes(): Promise<Uint8Array> {
    return this.#bytes((bytes) => new Uint8Array(toArrayBuffer(bytes)), 'bytes');
  }

  blob(): Promise<Blob> {
    // undici's Response gives the Blob the serialised MIME type of Content-Type, exactly as a Request does.
    return this.#bytes((bytes) => this.#asResponse(bytes).blob(), 'blob');
  }

  formData(): Promise<FormData> {
    return this.#bytes((bytes) => this.#asResponse(bytes).formData(), 'formData');
  }

  clone(): Request {
    return this[kMaterialize]().clone();
  }

  /** The real undici Request, built once, for whatever the view cannot answer. */
  [kMaterialize](): Request {
    if (this.#request !== undefined) return this.#request;
    const method = this.method;
    if (FORBIDDEN_METHOD.test(method)) {
      throw new HttpError(
        501,
        `A ${method} request cannot be turned into a WHATWG Request (undici refuses the method): read ctx.method, ctx.path and ctx.header() instead of ctx.request.`,
        { code: 'NOT_IMPLEMENTED' },
      );
    }
    const init: RequestInit & { duplex?: 'half' } = {
      method,
      headers: this.headers,
      signal: this.signal,
    };
    let spent = false;
    if (this.#hasBody()) {
      const stream = this.body;
      spent = stream === null || this.#used || stream.locked || isDisturbed(stream);
      init.body = spent ? spentStream() : stream;
      init.duplex = 'half';
    }
    const request = new Request(this.url, init);
    // undici calls a body that is locked unusable: clone(), new Request(request) and fetch(request) then
    // throw the TypeError they throw for a Request whose body was read.
    if (spent) request.body?.getReader();
    this.#request = request;
    return request;
  }

  /**
   * The body as one stream over the shared read under the limit (as ctx.body reads it): one chunk once the
   * body is in. Node's Readable.toWeb() behind a limiting TransformStream cost ~5x more per small body
   * (measured for bench/request-read.ts); to stream a large upload chunk by chunk, use ctx.body.stream().
   */
  #sourceStream(): ReadableStream<Uint8Array> {
    const read = () => this.#read();
    return new ReadableStream<Uint8Array>({
      async pull(controller) {
        const bytes = await read();
        if (bytes.byteLength > 0) {
          controller.enqueue(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
        }
        controller.close();
      },
    });
  }

  /** The whole body from the source, refused before reading when the declared length is over the limit. */
  #read(): Promise<Uint8Array> {
    const declared = this.#parts.contentLength;
    if (declared !== undefined && declared > this.#limit) return Promise.reject(tooLarge(this.#limit));
    return this.#parts.read(this.#limit);
  }

  #hasBody(): boolean {
    const method = this.#parts.method;
    return method !== 'GET' && method !== 'HEAD';
  }

  #asResponse(bytes: Uint8Array): Response {
    const type = this.#parts.contentType;
    return new Response(
      bytes as BodyInit,
      type === undefined ? undefined : { headers: { 'content-type': type } },
    );
  }

  /** Reads the body once, straight from node (or through the real Request once there is one). */
  #bytes<T>(
    convert: (bytes: Uint8Array) => T | Promise<T>,
    member: 'text' | 'json' | 'arrayBuffer' | 'bytes' | 'blob' | 'formData',
  ): Promise<T> {
    if (this.#request !== undefined) return (this.#request[member] as () => Promise<T>)();
    if (this.bodyUsed || this.#stream?.locked) return Promise.reject(unusable());
    if (!this.#hasBody()) return Promise.resolve().then(() => convert(new Uint8Array(0)));
    this.#used = true;
    if (this.#stream != null) {
      // The stream was handed out but not read: read it, under the same limit.
      return new Response(this.#stream).arrayBuffer().then((buffer) => convert(new Uint8Array(buffer)));
    }
    return this.#read().then(convert);
  }
}

// The prototype chain is Request.prototype, so `instanceof Request` holds and the view passes for a Request.
Object.setPrototypeOf(NodeFetchRequest.prototype, Request.prototype);
Object.defineProperty(NodeFetchRequest.prototype, 'constructor', {
  value: Request,
  writable: true,
  configurable: true,
});

// Every other member of Request.prototype (cache, mode, credentials, integrity, keepalive, duplex...) is
// answered by the real Request, built on first use.
for (const name of Object.getOwnPropertyNames(Request.prototype)) {
  if (Object.hasOwn(NodeFetchRequest.prototype, name)) continue;
  const descriptor = Object.getOwnPropertyDescriptor(Request.prototype, name) as PropertyDescriptor;
  if (typeof descriptor.value === 'function') {
    Object.defineProperty(NodeFetchRequest.prototype, name, {
      configurable: true,
      writable: true,
      value(this: NodeFetchRequest, ...args: unknown[]) {
        const request = this[kMaterialize]() as unknown as Record<string, (...args: unknown[]) => unknown>;
        return (request[name] as (...args: unknown[]) => unknown).apply(request, args);
      },
    });
  } else if (descriptor.get !== undefined) {
    Object.defineProperty(NodeFetchRequest.prototype, name, {
      configurable: true,
      get(this: NodeFetchRequest) {
        return (this[kMaterialize]() as unknown as Record<string, unknown>)[name];
      },
    });
  }
}

// undici 6 (Node 20, 22) keeps a Request's internals under symbol keys and reads them from any object that
// is `instanceof Request`: forwarding those keys to the real Request makes `new Request(view)` and
// `fetch(view)` work as they do for a real Request. undici 7 (Node 24) uses private fields instead; see
// installRequestUnwrapping() for that case.
const internalKeys = Object.getOwnPropertySymbols(new Request('http://localhost/'));
for (const key of internalKeys) {
  Object.defineProperty(NodeFetchRequest.prototype, key, {
    configurable: true,
    get(this: NodeFetchRequest) {
      return (this[kMaterialize]() as unknown as Record<symbol, unknown>)[key];
    },
  });
}

Object.defineProperty(NodeFetchRequest.prototype, inspect.custom, {
  value(this: NodeFetchRequest, depth: number, options: object) {
    const shown = { method: this.method, url: this.url, headers: this.headers, bodyUsed: this.bodyUsed };
    return `Request ${inspect(shown, { ...options, depth: depth < 0 ? null : depth - 1 })}`;
  },
});

// undici 7 (Node 24+) reads a Request's internals from private fields, which only a real Request has, so
// `fetch(view)` and `new Request(view)` would throw. There, when this module loads, globalThis.fetch and
// globalThis.Request are wrapped (once per process, whichever build of @plinth/http loads first) to replace
// a view by its real Request; nothing else about them changes. It happens at load, not at the first request,
// because `fetch(ctx.request)` looks fetch up before ctx.request builds the first view.
const kUnwrapping = Symbol.for('@plinth/http.requestUnwrapping');

function unwrap(input: unknown): unknown {
  return typeof input === 'object' && input !== null && kMaterialize in input
    ? (input as NodeFetchRequest)[kMaterialize]()
    : input;
}

function installRequestUnwrapping(): void {
  const global = globalThis as unknown as Record<PropertyKey, unknown> & {
    fetch: typeof fetch;
    Request: typeof Request;
  };
  if (global[kUnwrapping] === true) return;
  global[kUnwrapping] = true;
  global.fetch = new Proxy(global.fetch, {
    apply(target, self, args: unknown[]) {
      if (args.length > 0) args[0] = unwrap(args[0]);
      return Reflect.apply(target, self, args);
    },
  });
  global.Request = new Proxy(global.Request, {
    construct(target, args: unknown[], newTarget) {
      if (args.length > 0) args[0] = unwrap(args[0]);
      return Reflect.construct(target, args, newTarget);
    },
  });
}

if (internalKeys.length === 0) installRequestUnwrapping();
