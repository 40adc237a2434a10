// Response helpers: json, text, html, redirect, stream, empty. They return a `Response` (instanceof holds)
// that is built lazily, so the node adapter can write a string body straight to the socket.
import { usageError } from './errors.js';
import { addFields, type HeaderRecord, ResponseHeaders, toHeaders } from './response-headers.js';

/** What a body-less {@link ResponseInit} accepts: a status and extra headers. */
export interface ResponseOptions {
  /** HTTP status; each helper has its own default. */
  status?: number;
  /** Extra headers; they win over the helper's defaults (e.g. a different `Content-Type`). */
  headers?: HeadersInit;
}

type FastBody = string | Uint8Array | ReadableStream<Uint8Array> | null;

/** Internal state of a lazily built response: read by the node adapter, never by users. */
export interface FastState {
  body: FastBody;
  status: number;
  /**
   * A plain object with lower-case names (Set-Cookie as a list), read and written through the view
   * `response.headers` returns; a real Headers once a member the view does not answer was used.
   */
  headers: HeaderRecord | Headers;
  real: Response | undefined;
  /** The object `response.headers` returns, made on first read. */
  view: Headers | undefined;
}

// Symbol.for: a response made by the ESM build (json(), text()...) keeps its fast write path when the
// CJS build's node adapter sends it, and the reverse.
const kState = Symbol.for('@plinth/http.Response.state');

interface FastResponse extends Response {
  [kState]: FastState;
}

// A Response whose real undici object is only built when a property other than status/ok/headers is
// read. Benchmark "cost per request: a JSON Response" (bench/request-cost.ts): undici's Response.json
// costs tens of µs, more than the rest of the request, while most responses are only written to a
// socket (node-response.ts) and never need one.
const FastResponse = function FastResponse(this: FastResponse, state: FastState) {
  this[kState] = state;
} as unknown as new (
  state: FastState,
) => FastResponse;
Object.setPrototypeOf(FastResponse.prototype, Response.prototype);

function realize(response: FastResponse): Response {
  const state = response[kState];
  if (state.real === undefined) {
    state.real = new Response(state.body as BodyInit | null, {
      status: state.status,
      headers: state.headers instanceof Headers ? state.headers : toHeaders(state.headers),
    });
  }
  return state.real;
}

for (const key of Reflect.ownKeys(Response.prototype)) {
  if (key === 'constructor') continue;
  const descriptor = Object.getOwnPropertyDescriptor(Response.prototype, key);
  if (descriptor?.get !== undefined) {
    Object.defineProperty(FastResponse.prototype, key, {
      configurable: true,
      get(this: FastResponse) {
        return Reflect.get(realize(this), key);
      },
    });
  } else if (typeof descriptor?.value === 'function') {
    Object.defineProperty(FastResponse.prototype, key, {
      configurable: true,
      writable: true,
      value(this: FastResponse, ...args: unknown[]) {
        const real = realize(this) as unknown as Record<PropertyKey, (...a: unknown[]) => unknown>;
        return (real[key] as (...a: unknown[]) => unknown).apply(real, args);
      },
    });
  }
}
Object.defineProperties(FastResponse.prototype, {
  status: {
    configurable: true,
    get(this: FastResponse) {
      const state = this[kState];
      return state.real === undefined ? state.status : state.real.status;
    },
  },
  ok: {
    configurable: true,
    get(this: FastResponse) {
      const status = this.status;
      return status >= 200 && status <= 299;
    },
  },
  headers: {
    configurable: true,
    // One view for the life of the response: it works on the plain record, and on the real Response's
    // Headers once there is one (response-headers.ts).
    get(this: FastResponse) {
      const state = this[kState];
      state.view ??= new ResponseHeaders(state) as unknown as Headers;
      return state.view;
    },
  },
});

/** Internal: the lazy state of a response made by these helpers, or undefined for any other Response. */
export function fastState(response: Response): FastState | undefined {
  const state = (response as Partial<FastResponse>)[kState];
  return state === undefined || state.real !== undefined ? undefined : state;
}

/** Internal: a real (brand-checked) Response, for runtimes such as Bun and Deno that need one. */
export function toStandardResponse(response: Response): Response {
  return (response as Partial<FastResponse>)[kState] === undefined
    ? response
    : realize(response as FastResponse);
}

function create(body: FastBody, contentType: string | undefined, status: number, options?: ResponseOptions) {
  if (!Number.isInteger(status) || status < 200 || status > 599) {
    throw usageError(
      'ERR_HTTP_INVALID_OPTIONS',
      `Response status ${status} is invalid; use an integer 200–599.`,
    );
  }
  const extra = options?.headers;
  let headers: HeaderRecord | Headers | undefined =
    contentType === undefined ? {} : { 'content-type': contentType };
  // A record of plain fields stays plain; a Headers, a list, or a field Headers would normalise or refuse
  // is judged by a real Headers, as the Response constructor would.
  if (extra !== undefined) {
    headers = isFieldList(extra) ? undefined : addFields(headers, extra as Record<string, string>);
    if (headers === undefined) {
      headers = new Headers(extra);
      if (contentType !== undefined && !headers.has('content-type')) headers.set('content-type', contentType);
    }
  }
  return new FastResponse({ body, status, headers, real: undefined, view: undefined });
}

/** Whether a HeadersInit is a Headers or a sequence of pairs (any iterable, as the Headers constructor reads it). */
function isFieldList(init: HeadersInit): boolean {
  return init instanceof Headers || Symbol.iterator in init;
}

// Fetch §"extract a body": the Content-Type a Response constructor gives a string body.
const TEXT_PLAIN = 'text/plain;charset=UTF-8';

/**
 * Internal: `ctx.respond(body, init)`, the Response `new Response(body, init)` would be, built lazily like
 * json() so the node adapter writes it in one writeHead + end. For packages that cannot import the helpers
 * (@plinth/handlers serialises its own JSON) and reach it through the structural context. Benchmark "cost
 * per request: a prepared body" (bench/request-cost.ts).
 */
export function respond(body: string | Uint8Array | null, init?: ResponseInit): Response {
  const status = init?.status ?? 200;
  if (
    !(body === null || typeof body === 'string' || body instanceof Uint8Array) ||
    !Number.isInteger(status) ||
    status < 200 ||
    status > 599 ||
    // Fetch: a null body status (204, 205, 304) cannot carry a body, not even an empty one.
    (body !== null && (status === 204 || status === 205 || status === 304)) ||
    init?.statusText !== undefined
  ) {
    // Whatever the lazy state does not model is left to the Response constructor: same result, same errors.
    return new Response(body as BodyInit | null, init);
  }
  const extra = init?.headers;
  let headers: HeaderRecord | Headers = {};
  if (extra !== undefined) {
    headers = isFieldList(extra)
      ? new Headers(extra)
      : (addFields({}, extra as Record<string, string>) ?? new Headers(extra));
  }
  if (typeof body === 'string') {
    if (headers instanceof Headers) {
      if (!headers.has('content-type')) headers.set('content-type', TEXT_PLAIN);
    } else headers['content-type'] ??= TEXT_PLAIN;
  }
  return new FastResponse({ body, status, headers, real: undefined, view: undefined });
}

/**
 * A JSON response (`application/json; charset=utf-8`, status 200 unless given).
 *
 * @example
 * app.get('/', () => json({ hello: 'world' }));
 */
export function json(data: unknown, options?: ResponseOptions): Response {
  const body = JSON.stringify(data) ?? 'null';
  if (options === undefined) {
    // The common case skips option handling (benchmark "cost per request: a JSON Response").
    return new FastResponse({
      body,
      status: 200,
      headers: { 'content-type': 'application/json; charset=utf-8' },
      real: undefined,
      view: undefined,
    });
  }
  return create(body, 'application/json; charset=utf-8', options.status ?? 200, options);
}

/** A plain-text response (`text/plain; charset=utf-8`). */
export function text(body: string, options?: ResponseOptions): Response {
  return create(String(body), 'text/plain; charset=utf-8', options?.status ?? 200, options);
}

/** An HTML response (`text/html; charset=utf-8`); escaping the content is the caller's job. */
export function html(body: string, options?: ResponseOptions): Response {
  return create(String(body), 'text/html; charset=utf-8', options?.status ?? 200, options);
}

/** A body-less response, `204 No Content` unless another status is given. */
export function empty(status = 204, options?: Omit<ResponseOptions, 'status'>): Response {
  return create(null, undefined, status, options);
}

const schemePattern = /^[a-zA-Z][a-zA-Z0-9+.-]*:/;

/**
 * A redirect (302 unless given). Refuses, with `ERR_HTTP_UNSAFE_REDIRECT`, targets that could split the
 * response or run script: control characters (CR/LF), backslashes, protocol-relative `//host`, and any
 * scheme other than http(s) (`javascript:`, `data:`).
 *
 * @example
 * return redirect('/login', 303);
 */
export function redirect(
  location: string,
  status = 302,
  options?: Omit<ResponseOptions, 'status'>,
): Response {
  if (![300, 301, 302, 303, 307, 308].includes(status)) {
    throw usageError(
      'ERR_HTTP_INVALID_OPTIONS',
      `Redirect status ${status} is invalid; use 301, 302, 303, 307 or 308.`,
    );
  }
  const target = String(location);
  const unsafe = (why: string) =>
    usageError('ERR_HTTP_UNSAFE_REDIRECT', `Refusing to redirect to ${JSON.stringify(target)}: ${why}`);
  if (target === '') throw unsafe('the target is empty.');
  for (let index = 0; index < target.length; index++) {
    const code = target.charCodeAt(index);
    if (code <= 0x20 || code === 0x7f) {
      if (code === 0x20) continue;
      throw unsafe('it contains control characters (CR/LF would split the response).');
    }
    if (code === 0x5c) throw unsafe('it contains a backslash, which browsers read as "/".');
  }
  if (target.trim() !== target) throw unsafe('it starts or ends with whitespace.');
  if (target.startsWith('//'))
    throw unsafe('protocol-relative targets ("//host") leave the site; write the scheme.');
  const scheme = schemePattern.exec(target)?.[0].toLowerCase();
  if (scheme !== undefined && scheme !== 'http:' && scheme !== 'https:') {
    throw unsafe(`the scheme "${scheme}" is not allowed; only http: and https: are.`);
  }
  // RFC 9110 §10.2.2: Location is a URI reference; encode what is not ASCII.
  const encoded = /[^\x21-\x7e]/.test(target) ? encodeURI(target) : target;
  return create(null, undefined, status, {
    headers: { ...headersRecord(options?.headers), location: encoded },
  });
}

function headersRecord(headers: HeadersInit | undefined): Record<string, string> {
  const record: Record<string, string> = {};
  if (headers === undefined) return record;
  new Headers(headers).forEach((value, name) => {
    record[name] = value;
  });
  return record;
}

/** A body to stream: a web stream, or any (async) iterable of chunks. */
export type StreamSource =
  | ReadableStream<Uint8Array | string>
  | AsyncIterable<Uint8Array | string>
  | Iterable<Uint8Array | string>;

/**
 * A streamed response (`application/octet-stream` unless given). Chunks are pulled only when the
 * client is ready for more (backpressure); a client disconnect cancels the source.
 *
 * @example
 * return stream(async function* () { yield 'a'; yield 'b'; }(), { headers: { 'content-type': 'text/plain' } });
 */
export function stream(source: StreamSource, options?: ResponseOptions): Response {
  const encoder = new TextEncoder();
  const toBytes = (chunk: Uint8Array | string) => (typeof chunk === 'string' ? encoder.encode(chunk) : chunk);
  let body: ReadableStream<Uint8Array>;
  if (source instanceof ReadableStream) {
    body = source.pipeThrough(
      new TransformStream<Uint8Array | string, Uint8Array>({
        transform: (chunk, controller) => controller.enqueue(toBytes(chunk)),
      }),
    );
  } else {
    const iterator =
      Symbol.asyncIterator in source
        ? (source as AsyncIterable<Uint8Array | string>)[Symbol.asyncIterator]()
        : (source as Iterable<Uint8Array | string>)[Symbol.iterator]();
    body = new ReadableStream<Uint8Array>(
      {
        async pull(controller) {
          const next = await iterator.next();
          if (next.done) controller.close();
          else controller.enqueue(toBytes(next.value));
        },
        async cancel(reason) {
          await iterator.return?.(reason);
        },
      },
      { highWaterMark: 0 },
    );
  }
  return create(body, 'application/octet-stream', options?.status ?? 200, options);
}
