// What a caller of inject() may write, and its one normalized form: method, raw target, header pairs
// and body bytes or stream, shared by the fetch and node dispatchers.
import { TestingError } from './errors.js';

/** A body inject() can send: bytes, text, a stream, or what `new Request({ body })` accepts. */
export type InjectBody =
  | string
  | Uint8Array
  | ArrayBuffer
  | Blob
  | URLSearchParams
  | FormData
  | ReadableStream<Uint8Array>;

/** One in-process request: everything is optional except what the handler needs. */
export interface InjectRequest {
  /** Upper-cased; `GET` by default, `POST` when a body or `json` is given. */
  method?: string;
  /**
   * The request target exactly as a client would send it (`/a/../b?x=1`, `/files/%2e%2e`):
   * never resolved or re-encoded, so a path-traversal test means the same as over a socket.
   */
  url?: string;
  /** Query parameters appended to `url` (arrays repeat the key). */
  query?: Record<string, string | number | boolean | ReadonlyArray<string | number | boolean>>;
  /** Request headers; names are case-insensitive. */
  headers?: HeadersInit | Record<string, string | readonly string[]>;
  /** Raw body; `Content-Type` is set for URLSearchParams, FormData and Blob. */
  body?: InjectBody;
  /** A value sent as JSON with `Content-Type: application/json`. */
  json?: unknown;
  /** Cookies sent in addition to the jar's. */
  cookies?: Record<string, string>;
  /** Aborting it disconnects the client, as a closed socket would. */
  signal?: AbortSignal;
}

/** The normalized request both dispatchers consume. */
export interface NormalizedRequest {
  method: string;
  target: string;
  /** Header pairs in order, names as given. */
  headers: Array<[string, string]>;
  body: Uint8Array | ReadableStream<Uint8Array> | undefined;
  signal: AbortSignal | undefined;
}

function hasControlOrSpace(text: string): boolean {
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code <= 0x20 || code === 0x7f) return true;
  }
  return false;
}

function appendQuery(target: string, query: InjectRequest['query']): string {
  if (!query) return target;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    const values = Array.isArray(value) ? value : [value];
    for (const item of values) params.append(key, String(item));
  }
  const search = params.toString();
  if (search === '') return target;
  return `${target}${target.includes('?') ? '&' : '?'}${search}`;
}

function headerPairs(headers: InjectRequest['headers']): Array<[string, string]> {
  if (!headers) return [];
  if (headers instanceof Headers) return [...headers];
  if (Array.isArray(headers)) return headers.map(([name, value]) => [String(name), String(value)]);
  const pairs: Array<[string, string]> = [];
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const item of value) pairs.push([name, String(item)]);
    else pairs.push([name, String(value)]);
  }
  return pairs;
}

function hasHeader(pairs: Array<[string, string]>, name: string): boolean {
  return pairs.some(([key]) => key.toLowerCase() === name);
}

async function encodeBody(
  body: InjectBody,
): Promise<{ bytes: Uint8Array | ReadableStream<Uint8Array>; type: string | null }> {
  if (typeof body === 'string') return { bytes: new TextEncoder().encode(body), type: null };
  if (body instanceof Uint8Array) return { bytes: body, type: null };
  if (body instanceof ArrayBuffer) return { bytes: new Uint8Array(body), type: null };
  if (body instanceof ReadableStream) return { bytes: body, type: null };
  // URLSearchParams, FormData, Blob: let the platform serialize them (multipart boundary included).
  const encoded = new Response(body);
  return {
    bytes: new Uint8Array(await encoded.arrayBuffer()),
    type: encoded.headers.get('content-type'),
  };
}

function invalid(message: string): TestingError {
  return new TestingError('ERR_TESTING_INVALID_REQUEST', message);
}

/** Turns what the caller wrote into one request; throws ERR_TESTING_INVALID_REQUEST on nonsense. */
export async function normalizeRequest(input: InjectRequest | string): Promise<NormalizedRequest> {
  const request: InjectRequest = typeof input === 'string' ? { url: input } : (input ?? {});
  const url = request.url ?? '/';
  // RFC 9112 §3.2: a request target has no whitespace or control characters.
  if (typeof url !== 'string' || url === '' || hasControlOrSpace(url)) {
    throw invalid(
      `inject: url ${JSON.stringify(url)} is not a request target; give one starting with "/" (or "http://host/") without spaces or control characters.`,
    );
  }
  if (request.body !== undefined && request.json !== undefined) {
    throw invalid('inject: give either body or json, not both.');
  }
  const headers = headerPairs(request.headers);
  let body: NormalizedRequest['body'];
  if (request.json !== undefined) {
    body = new TextEncoder().encode(JSON.stringify(request.json));
    if (!hasHeader(headers, 'content-type')) headers.push(['content-type', 'application/json']);
  } else if (request.body !== undefined) {
    const encoded = await encodeBody(request.body);
    body = encoded.bytes;
    if (encoded.type && !hasHeader(headers, 'content-type')) headers.push(['content-type', encoded.type]);
  }
  if (request.cookies) {
    const pairs = Object.entries(request.cookies).map(([name, value]) => `${name}=${value}`);
    if (pairs.length > 0) headers.push(['cookie', pairs.join('; ')]);
  }
  const method = (request.method ?? (body === undefined ? 'GET' : 'POST')).toUpperCase();
  if (!/^[!#$%&'*+.^_`|~0-9A-Z-]+$/.test(method)) {
    throw invalid(`inject: method ${JSON.stringify(request.method)} is not an HTTP token.`);
  }
  return { method, target: appendQuery(url, request.query), headers, body, signal: request.signal };
}
