// The one response shape inject() returns, whatever the target: status, headers, cookies, and a body
// read whole (text/json) or as a stream that can be aborted like a client hanging up.
import type { BodySource } from './body-buffer.js';
import { parseSetCookie, type ResponseCookie } from './cookie-jar.js';
import { TestingError } from './errors.js';

/** What a dispatcher hands over once the response head is known. */
export interface ResponseHead {
  status: number;
  statusText: string;
  headers: Headers;
  body: BodySource | null;
  /** Disconnects the client: the app sees a closed socket / an aborted request signal. */
  abort: () => void;
}

/** The answer of inject(): the same shape for fetch, node, Express and Fastify targets. */
export class InjectResponse {
  /** The status code. */
  readonly status: number;
  /** The reason phrase the app sent (empty for fetch handlers that set none). */
  readonly statusText: string;
  /** The response headers as sent; `headers.getSetCookie()` lists every Set-Cookie. */
  readonly headers: Headers;
  readonly #source: BodySource | null;
  #stream: ReadableStream<Uint8Array> | null | undefined;
  readonly #abort: () => void;
  #used = false;

  constructor(head: ResponseHead) {
    this.status = head.status;
    this.statusText = head.statusText;
    this.headers = head.headers;
    this.#source = head.body;
    this.#abort = head.abort;
  }

  /** The body as a stream (null for no body); reading it here leaves text()/json() unusable. */
  get body(): ReadableStream<Uint8Array> | null {
    if (this.#stream === undefined) this.#stream = this.#source ? this.#source.stream() : null;
    return this.#stream;
  }

  /** True for a 2xx status. */
  get ok(): boolean {
    return this.status >= 200 && this.status < 300;
  }

  /** The cookies the response set, parsed (name, value, path, expires, maxAge, flags). */
  get cookies(): ResponseCookie[] {
    return this.headers
      .getSetCookie()
      .map(parseSetCookie)
      .filter((cookie): cookie is ResponseCookie => cookie !== undefined);
  }

  /** Reads the body to the end. */
  async bytes(): Promise<Uint8Array> {
    if (this.#used || this.#stream?.locked) {
      throw new TestingError(
        'ERR_TESTING_BODY_USED',
        'inject: the response body was already read; keep the result of the first text()/json()/bytes() call.',
      );
    }
    this.#used = true;
    // No stream taken yet: the whole body without building one (bench/index.ts measures this path).
    if (this.#stream === undefined && this.#source?.readAll) return this.#source.readAll();
    if (!this.body) return new Uint8Array(0);
    const chunks: Uint8Array[] = [];
    let length = 0;
    for await (const chunk of this.body as unknown as AsyncIterable<Uint8Array>) {
      chunks.push(chunk);
      length += chunk.byteLength;
    }
    const bytes = new Uint8Array(length);
    let offset = 0;
    for (const chunk of chunks) {
      bytes.set(chunk, offset);
      offset += chunk.byteLength;
    }
    return bytes;
  }

  /** Reads the body to the end as UTF-8 text. */
  async text(): Promise<string> {
    return new TextDecoder().decode(await this.bytes());
  }

  /** Reads the body to the end and parses it as JSON; the error quotes the body when it is not JSON. */
  async json<T = unknown>(): Promise<T> {
    const text = await this.text();
    try {
      return JSON.parse(text) as T;
    } catch (error) {
      const shown = text.length > 200 ? `${text.slice(0, 200)}…` : text;
      throw new TestingError(
        'ERR_TESTING_NOT_JSON',
        `inject: the ${this.status} response (content-type ${this.headers.get('content-type') ?? 'none'}) is not JSON: ${JSON.stringify(shown)}; use text() to read it.`,
        { cause: error },
      );
    }
  }

  /** Hangs up: stops reading a streaming body; the app sees the client go away. */
  abort(): void {
    this.#abort();
  }
}
