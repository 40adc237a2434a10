// The per-request context handed to middleware and handlers: the WHATWG Request (built only when read),
// route data, typed state, and lazy accessors for query, cookies and body.
import { type Body, type BodySource, createBody } from './body.js';
import { type CookieOptions, parseCookies, serializeCookie } from './cookies.js';
import { createQuery, type Query } from './query.js';
import { type ResponseOptions, respond } from './response.js';

/** A registered route as `app.routes` lists it (devtools read this). */
export interface RouteInfo {
  /** Upper-case method, e.g. `GET`. */
  readonly method: string;
  /** The full pattern, prefixes of groups and mounts included, e.g. `/api/users/:id`. */
  readonly path: string;
  /** Whatever was attached with `{ meta }` at registration (OpenAPI data, auth rules...). */
  readonly meta: Readonly<Record<string, unknown>>;
}

/** Where a request comes from: implemented once per runtime (fetch, node:http). */
export interface RequestSource extends BodySource {
  /** Upper-case method. */
  readonly method: string;
  /** Path and query as received, e.g. `/users/1?tab=posts`. */
  readonly target: string;
  /** One header by lower-case name; repeated headers joined with ", " (cookies with "; "). */
  header(name: string): string | undefined;
  /** The WHATWG Request (on node a lazy view); node bodies read through it stay under `bodyLimit`. */
  request(bodyLimit: number): Request;
  /** Aborts when the client goes away. */
  signal(): AbortSignal;
  /** `http://host` as the client addressed it. */
  origin(): string;
  /** The TCP peer's address (no proxy headers read); undefined when the runtime does not say. */
  remoteAddress(): string | undefined;
}

/** Cookies of the request, and the Set-Cookie headers of its response. */
export interface Cookies {
  /** The value of one request cookie. */
  get(name: string): string | undefined;
  /** Every request cookie, in a null-prototype record. */
  all(): Record<string, string>;
  /** Adds a Set-Cookie to the response (HttpOnly, SameSite=Lax, Path=/ unless told otherwise). */
  set(name: string, value: string, options?: CookieOptions): void;
  /** Adds a Set-Cookie that deletes the cookie (same path and domain as when it was set). */
  delete(name: string, options?: Pick<CookieOptions, 'path' | 'domain' | 'secure' | 'sameSite'>): void;
}

/** What middleware and handlers receive. `State` is the typed per-request state. */
export interface Context<
  State extends object = Record<string, unknown>,
  Params extends object = Record<string, string>,
> {
  /**
   * The WHATWG Request. On node:http a cheap view (`instanceof Request`) that reads method, url,
   * headers and body straight from node, and builds a real undici Request only for clone(), fetch()
   * and rare members; prefer `ctx.header()`, `ctx.path` and `ctx.body` on hot paths all the same.
   */
  readonly request: Request;
  /** Upper-case method. */
  readonly method: string;
  /** The path as received, still percent-encoded, without the query. */
  readonly path: string;
  /** The full URL, parsed on first use. */
  readonly url: URL;
  /** Decoded route parameters (`/users/:id` → `{ id }`); the wildcard is `*` or its name. */
  readonly params: Params;
  /** The matched route pattern (`/users/:id`), set before any middleware runs; undefined on a 404. */
  readonly routePath: string | undefined;
  /** The matched route with its metadata; undefined on a 404. */
  readonly route: RouteInfo | undefined;
  /** Typed query-string access. */
  readonly query: Query;
  /** Request cookies, and Set-Cookie for the response. */
  readonly cookies: Cookies;
  /** The request body, read on demand with limits. */
  readonly body: Body;
  /** Aborts when the client disconnects. */
  readonly signal: AbortSignal;
  /**
   * The address of the TCP peer (`req.socket.remoteAddress` on node, under Express and Fastify too): a
   * proxy's address when there is one, since no `X-Forwarded-For` is trusted here (@plinth/security's
   * job). Under `app.fetch` it is what the runtime or caller passed as the second argument, else undefined.
   * On node it is read from the socket when first asked, so it is undefined if that is after the socket closed.
   */
  readonly remoteAddress: string | undefined;
  /** Per-request state shared by middleware and handler; starts as `{}`. */
  state: State;
  /** One request header by name (case-insensitive). */
  header(name: string): string | undefined;
  /**
   * The Response `new Response(body, init)` would be (`instanceof Response`, the same status, headers and
   * body when read), built lazily as `json()` and `text()` are, so the node adapter writes it in one go.
   * For code that reaches this context structurally and cannot import the helpers: a caller that
   * serialised its own body calls `ctx.respond?.(body, init) ?? new Response(body, init)`.
   *
   * @example
   * return ctx.respond(JSON.stringify(user), { status: 201, headers: { 'content-type': 'application/json' } });
   */
  respond(body: string | Uint8Array | null, init?: ResponseOptions): Response;
}

/** Internal: the Context implementation, with what the app needs after the handler ran. */
export class RequestContext implements Context<Record<string, unknown>> {
  readonly method: string;
  readonly path: string;
  readonly params: Record<string, string>;
  readonly routePath: string | undefined;
  readonly route: RouteInfo | undefined;
  #state: Record<string, unknown> | undefined = undefined;
  /** Set-Cookie values queued by `cookies.set`, applied to whatever response leaves. */
  setCookies: string[] | undefined = undefined;
  /** The host framework's request and reply when mounted in Express or Fastify (see host.ts). */
  host: unknown = undefined;
  readonly #source: RequestSource;
  readonly #search: string;
  readonly #bodyLimit: number;
  #request: Request | undefined = undefined;
  #url: URL | undefined = undefined;
  #query: Query | undefined = undefined;
  #cookies: Cookies | undefined = undefined;
  #body: Body | undefined = undefined;

  constructor(
    source: RequestSource,
    path: string,
    search: string,
    params: Record<string, string>,
    route: RouteInfo | undefined,
    bodyLimit: number,
  ) {
    this.#source = source;
    this.method = source.method;
    this.path = path;
    this.#search = search;
    this.params = params;
    this.route = route;
    this.routePath = route?.path;
    this.#bodyLimit = bodyLimit;
  }

  // Allocated on first use: most requests never touch state (benchmark "HTTP GET /", GC share).
  get state(): Record<string, unknown> {
    this.#state ??= {};
    return this.#state;
  }

  set state(value: Record<string, unknown>) {
    this.#state = value;
  }

  get request(): Request {
    this.#request ??= this.#source.request(this.#bodyLimit);
    return this.#request;
  }

  get url(): URL {
    if (this.#url === undefined) {
      try {
        this.#url = new URL(this.path + this.#search, this.#source.origin());
      } catch {
        this.#url = new URL(this.path + this.#search, 'http://localhost');
      }
    }
    return this.#url;
  }

  get query(): Query {
    this.#query ??= createQuery(this.#search);
    return this.#query;
  }

  get signal(): AbortSignal {
    return this.#source.signal();
  }

  get remoteAddress(): string | undefined {
    return this.#source.remoteAddress();
  }

  get body(): Body {
    this.#body ??= createBody(this.#source, this.#bodyLimit);
    return this.#body;
  }

  get cookies(): Cookies {
    if (this.#cookies === undefined) {
      let parsed: Record<string, string> | undefined;
      const all = () => {
        parsed ??= parseCookies(this.#source.header('cookie'));
        return parsed;
      };
      const queue = (cookie: string) => {
        this.setCookies ??= [];
        this.setCookies.push(cookie);
      };
      this.#cookies = {
        get: (name) => all()[name],
        all: () => Object.assign(Object.create(null), all()),
        set: (name, value, options) => queue(serializeCookie(name, value, options)),
        delete: (name, options) =>
          queue(serializeCookie(name, '', { ...options, maxAge: 0, expires: new Date(0) })),
      };
    }
    return this.#cookies;
  }

  header(name: string): string | undefined {
    return this.#source.header(name.toLowerCase());
  }

  respond(body: string | Uint8Array | null, init?: ResponseOptions): Response {
    return respond(body, init);
  }
}
