// A typed client read from the handler definitions' types, no code generation (like Hono's `hc` and
// ts-rest): calls are typed by method and path, their params, query, headers and body, and the
// response is a union by status. Imports nothing at run time, so it runs in browsers too.
import type { HttpMethod } from './definition.js';
import type { PathParams } from './path-params.js';
import type { ProblemDetails } from './problem.js';
import type { InferInput, InferOutput, ResponseEntry, RouteSchema, StandardSchemaV1 } from './schema.js';

/** The part of a definition the client reads (its type only). */
export interface ClientRoute {
  readonly method: HttpMethod;
  readonly path: string;
  readonly meta: { readonly schema: RouteSchema };
}

/** The definitions a client is made from: an array (`[getUser, createUser]`) or an object of them. */
export type ClientApi = readonly ClientRoute[] | Readonly<Record<string, ClientRoute>>;

type Routes<A> = A extends readonly (infer D)[] ? D : A[keyof A];
type RouteOf<A, M, P> = Extract<Routes<A>, { method: M; path: P }>;
type SchemaOf<D> = D extends { meta: { schema: infer S } } ? S : never;
type PathOf<D> = D extends { path: infer P extends string } ? P : string;

type Optional<T> = {} extends T ? true : false;
type Field<K extends string, T> = [T] extends [never]
  ? { [P in K]?: never }
  : Optional<T> extends true
    ? { [P in K]?: T }
    : { [P in K]: T };

type ParamsInput<D> =
  SchemaOf<D> extends { params: infer X extends StandardSchemaV1 }
    ? InferInput<X>
    : keyof PathParams<PathOf<D>> extends never
      ? never
      : { [K in keyof PathParams<PathOf<D>>]: string | number };
type PartInput<D, K extends string> =
  SchemaOf<D> extends { [P in K]: infer X extends StandardSchemaV1 } ? InferInput<X> : never;

/** The options of one call: params, query, headers and body as the route's schemas take them. */
export type CallOptions<D> = Field<'params', ParamsInput<D>> &
  Field<'query', PartInput<D, 'querystring'>> &
  Field<'headers', PartInput<D, 'headers'>> &
  Field<'body', PartInput<D, 'body'>> & {
    /** Cancels the request. */
    signal?: AbortSignal;
  };

type EntrySchema<E> = E extends StandardSchemaV1
  ? E
  : E extends { schema: infer X extends StandardSchemaV1 }
    ? X
    : never;
type EntryOutput<E> = [EntrySchema<E>] extends [never] ? unknown : InferOutput<EntrySchema<E>>;
type StatusOf<K> = K extends number ? K : K extends `${infer N extends number}` ? N : number;

/** Error statuses a route may answer without declaring them: their body is problem+json. */
export type UndeclaredStatus =
  | 400
  | 401
  | 403
  | 404
  | 405
  | 409
  | 413
  | 415
  | 422
  | 429
  | 500
  | 502
  | 503
  | 504;

type Responses<D> =
  SchemaOf<D> extends { response: infer R extends Record<string | number, ResponseEntry> } ? R : {};
type Declared<D> = { [K in keyof Responses<D>]: StatusOf<K> }[keyof Responses<D>];

/** One answer: its status, the body typed by that status, and the raw Response. */
export interface ClientResult<Status extends number, Data> {
  readonly status: Status;
  readonly ok: boolean;
  readonly data: Data;
  readonly headers: Headers;
}

/** Every answer a route may give, discriminated by `status`. */
export type ClientResponse<D> =
  | { [K in keyof Responses<D>]: ClientResult<StatusOf<K>, EntryOutput<Responses<D>[K]>> }[keyof Responses<D>]
  | ClientResult<Exclude<UndeclaredStatus, Declared<D>>, ProblemDetails>;

type Args<D> = {} extends CallOptions<D> ? [options?: CallOptions<D>] : [options: CallOptions<D>];

// Distributive over the routes, so a method no route declares accepts no path at all.
type DeclaredPath<D> = D extends { path: infer P extends string } ? P : never;
type PathsOf<A, M> = DeclaredPath<Extract<Routes<A>, { method: M }>>;

type MethodCall<A, M extends HttpMethod> = <P extends PathsOf<A, M>>(
  path: P,
  ...args: Args<RouteOf<A, M, P>>
) => Promise<ClientResponse<RouteOf<A, M, P>>>;

/** The typed client: one function per method, taking a declared path. */
export interface Client<A extends ClientApi> {
  get: MethodCall<A, 'GET'>;
  post: MethodCall<A, 'POST'>;
  put: MethodCall<A, 'PUT'>;
  patch: MethodCall<A, 'PATCH'>;
  delete: MethodCall<A, 'DELETE'>;
  head: MethodCall<A, 'HEAD'>;
  options: MethodCall<A, 'OPTIONS'>;
}

/** Options of {@link createClient}. */
export interface ClientOptions {
  /** The server's origin and base path, e.g. `http://127.0.0.1:3000/api`. */
  baseUrl: string;
  /** The fetch to use (a test's, one with retries); the global fetch by default. */
  fetch?: (request: Request) => Promise<Response>;
  /** Headers sent with every call (authorization ...). */
  headers?: Record<string, string>;
}

interface RawOptions {
  params?: Record<string, unknown>;
  query?: Record<string, unknown>;
  headers?: Record<string, unknown>;
  body?: unknown;
  signal?: AbortSignal;
}

function fillPath(path: string, params: Record<string, unknown> = {}): string {
  return path.replace(/:([A-Za-z0-9_]+)|\*$/g, (match, name: string | undefined) => {
    const value = params[name ?? '*'];
    if (value === undefined) throw new TypeError(`The path ${path} needs params.${name ?? '*'}.`);
    if (match === '*') return String(value).split('/').map(encodeURIComponent).join('/');
    return encodeURIComponent(String(value));
  });
}

function text(value: unknown): string {
  return value instanceof Date ? value.toISOString() : String(value);
}

function queryString(query: Record<string, unknown> | undefined): string {
  if (query === undefined) return '';
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) search.append(name, text(item));
  }
  const serialized = search.toString();
  return serialized === '' ? '' : `?${serialized}`;
}

async function readData(response: Response): Promise<unknown> {
  if (response.status === 204 || response.status === 205 || response.status === 304) return undefined;
  const type = response.headers.get('content-type') ?? '';
  const body = await response.text();
  if (body === '') return undefined;
  return /[/+]json\b/i.test(type) ? JSON.parse(body) : body;
}

/**
 * A client typed from the handler definitions' types.
 *
 * @example
 * import type { api } from './server/routes.js';
 * const client = createClient<typeof api>({ baseUrl: 'http://127.0.0.1:3000' });
 * const answer = await client.get('/users/:id', { params: { id: 1 } });
 * if (answer.status === 200) console.log(answer.data.name);
 */
export function createClient<A extends ClientApi>(options: ClientOptions): Client<A> {
  if (typeof options?.baseUrl !== 'string' || !/^https?:\/\//.test(options.baseUrl)) {
    throw new TypeError('createClient() needs { baseUrl: "http://host:port" }.');
  }
  const base = options.baseUrl.replace(/\/+$/, '');
  const send = options.fetch ?? ((request: Request) => fetch(request));
  const call =
    (method: string) =>
    async (path: string, raw: RawOptions = {}) => {
      const headers = new Headers(options.headers);
      for (const [name, value] of Object.entries(raw.headers ?? {}))
        if (value !== undefined) headers.set(name, text(value));
      const init: RequestInit = { method, headers };
      if (raw.signal !== undefined) init.signal = raw.signal;
      if (raw.body !== undefined) {
        headers.set('content-type', 'application/json');
        init.body = JSON.stringify(raw.body);
      }
      const response = await send(
        new Request(`${base}${fillPath(path, raw.params)}${queryString(raw.query)}`, init),
      );
      return {
        status: response.status,
        ok: response.ok,
        data: await readData(response),
        headers: response.headers,
      };
    };
  return {
    get: call('GET'),
    post: call('POST'),
    put: call('PUT'),
    patch: call('PATCH'),
    delete: call('DELETE'),
    head: call('HEAD'),
    options: call('OPTIONS'),
  } as unknown as Client<A>;
}
