// The request source for fetch-style runtimes (Bun, Deno, workers, `app.fetch`): everything is read
// from the WHATWG Request the runtime already built.
import { readStream } from './body.js';
import type { RequestSource } from './context.js';
import { rawTargetOf } from './raw-target.js';

/**
 * The peer address in what `app.fetch(request, connection)` was given: `{ remoteAddress }` from a caller,
 * or what a runtime passes its fetch handler as the second argument: Bun's `Server` (`requestIP(request)`)
 * or Deno's `ServeHandlerInfo` (`remoteAddr.hostname`). Anything else (a Cloudflare `env`) says nothing.
 */
function addressOf(connection: unknown, request: Request): string | undefined {
  if (connection === null || typeof connection !== 'object') return undefined;
  const given = connection as {
    remoteAddress?: unknown;
    requestIP?: unknown;
    remoteAddr?: { hostname?: unknown } | null;
  };
  if (typeof given.remoteAddress === 'string') return given.remoteAddress;
  if (typeof given.requestIP === 'function') {
    const address = (given.requestIP as (request: Request) => { address?: unknown } | null)(request)?.address;
    return typeof address === 'string' ? address : undefined;
  }
  const hostname = given.remoteAddr?.hostname;
  return typeof hostname === 'string' ? hostname : undefined;
}

/** Internal: a {@link RequestSource} over a WHATWG Request. */
export class FetchRequestSource implements RequestSource {
  readonly method: string;
  readonly target: string;
  readonly contentType: string | undefined;
  readonly contentLength: number | undefined;
  readonly #request: Request;
  readonly #connection: unknown;

  constructor(request: Request, connection?: unknown) {
    this.#request = request;
    this.#connection = connection;
    this.method = request.method;
    const url = request.url;
    // Request URLs are absolute and normalized by the URL parser: the path starts at the first "/"
    // after "scheme://authority".
    const authority = url.indexOf('//');
    const slash = url.indexOf('/', authority === -1 ? 0 : authority + 2);
    const hash = url.indexOf('#');
    this.target =
      rawTargetOf(request) ?? (slash === -1 ? '/' : hash === -1 ? url.slice(slash) : url.slice(slash, hash));
    this.contentType = request.headers.get('content-type') ?? undefined;
    const length = request.headers.get('content-length');
    this.contentLength = length === null || !/^\d+$/.test(length) ? undefined : Number(length);
  }

  header(name: string): string | undefined {
    return this.#request.headers.get(name) ?? undefined;
  }

  request(): Request {
    return this.#request;
  }

  signal(): AbortSignal {
    return this.#request.signal;
  }

  remoteAddress(): string | undefined {
    return this.#connection === undefined ? undefined : addressOf(this.#connection, this.#request);
  }

  origin(): string {
    return new URL(this.#request.url).origin;
  }

  read(limit: number): Promise<Uint8Array> {
    return readStream(this.#request.body, limit);
  }

  stream(): ReadableStream<Uint8Array> | null {
    return this.#request.body;
  }
}
