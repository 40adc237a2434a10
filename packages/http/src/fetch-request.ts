// The request source for fetch-style runtimes (Bun, Deno, workers, `app.fetch`): everything is read
// from the WHATWG Request the runtime already built.
import { readStream } from './body.js';
import type { RequestSource } from './context.js';
import { rawTargetOf } from './raw-target.js';

/** Internal: a {@link RequestSource} over a WHATWG Request. */
export class FetchRequestSource implements RequestSource {
  readonly method: string;
  readonly target: string;
  readonly contentType: string | undefined;
  readonly contentLength: number | undefined;
  readonly #request: Request;

  constructor(request: Request) {
    this.#request = request;
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
