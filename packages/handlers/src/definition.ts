// Handler definitions: one object declares method, path, schemas (SEAMS §H), the services needed
// and `handle(input, services, ctx)`. Framework-free; its `method`, `path` and `meta` are exactly
// a RouteInfo, so OpenAPI tools read it like @plinth/http's `app.routes`.
import { HandlersError } from './errors.js';
import type { PathParams } from './path-params.js';
import type { AnyToken } from './registration.js';
import type { Reply } from './reply.js';
import {
  type InferInput,
  type InferOutput,
  isStandardSchema,
  type ResponseEntry,
  type RouteMeta,
  type RouteSchema,
  type StandardSchemaV1,
} from './schema.js';
import type { Scope } from './scope.js';
import { isToken, type Token } from './token.js';

/** The methods a definition may declare. */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD' | 'OPTIONS';

/** The services a handler needs, by the name it reads them under. */
export type ServiceTokens = Record<string, AnyToken>;

/** The resolved services, typed from their tokens. */
export type Services<S extends ServiceTokens> = {
  [K in keyof S]: S[K] extends Token<infer T, 'scoped'> | Token<infer T> ? T : never;
};

type Part<S, K extends keyof RouteSchema, Fallback> = S extends { [P in K]: infer X extends StandardSchemaV1 }
  ? InferOutput<X>
  : Fallback;

/** What `handle` receives: each request part after its schema (raw when no schema is declared). */
export interface HandlerInput<S extends RouteSchema, P extends string> {
  params: Part<S, 'params', PathParams<P>>;
  query: Part<S, 'querystring', Record<string, string | string[]>>;
  headers: Part<S, 'headers', Record<string, string | string[] | undefined>>;
  body: Part<S, 'body', undefined>;
}

/** The framework-free request context a handler receives. */
export interface HandlerContext {
  readonly method: string;
  /** The raw pathname. */
  readonly path: string;
  /** The route pattern, e.g. `/users/:id`. */
  readonly routePath: string;
  /** One request header by name (case-insensitive). */
  header(name: string): string | undefined;
  /** Aborts when the client goes away. */
  readonly signal: AbortSignal;
  /** This request's scope (undefined when the binding has no container). */
  readonly scope: Scope | undefined;
  /** The host's own request object: @plinth/http's context, Express `req`, Fastify `request`. */
  readonly raw: unknown;
}

type Responses<S> = S extends { response: infer R extends Record<string | number, ResponseEntry> }
  ? R
  : never;
type EntrySchema<E> = E extends StandardSchemaV1
  ? E
  : E extends { schema: infer X extends StandardSchemaV1 }
    ? X
    : never;
type EntryInput<E> = [EntrySchema<E>] extends [never] ? unknown : InferInput<EntrySchema<E>>;
type StatusOf<K> = K extends number ? K : K extends `${infer N extends number}` ? N : number;
type IsSuccess<K> = `${K & (string | number)}` extends `2${string}` ? true : false;

type Replies<R> = { [K in keyof R]: Reply<StatusOf<K>, EntryInput<R[K]>> }[keyof R];
type SuccessData<R> = {
  [K in keyof R]: IsSuccess<K> extends true ? (StatusOf<K> extends 204 ? never : EntryInput<R[K]>) : never;
}[keyof R];
// biome-ignore lint/suspicious/noConfusingVoidType: a handler answering 204 may simply not return
type Nothing<R> = 204 extends keyof R ? undefined | void : '204' extends keyof R ? undefined | void : never;

/** What `handle` may return: data for the success status, a typed {@link Reply}, or nothing (204). */
export type HandlerResult<S extends RouteSchema> = [Responses<S>] extends [never]
  ? unknown
  : SuccessData<Responses<S>> | Replies<Responses<S>> | Nothing<Responses<S>>;

/** What {@link defineHandler} takes. */
export interface HandlerSpec<
  M extends HttpMethod,
  P extends string,
  S extends RouteSchema,
  Svc extends ServiceTokens,
> extends Omit<RouteMeta, 'schema'> {
  method: M;
  path: P;
  schema?: S;
  services?: Svc;
  // NoInfer: S, P and Svc come from schema, path and services only, never from how handle is written.
  handle(
    input: HandlerInput<NoInfer<S>, NoInfer<P>>,
    services: Services<NoInfer<Svc>>,
    ctx: HandlerContext,
  ): HandlerResult<NoInfer<S>> | Promise<HandlerResult<NoInfer<S>>>;
}

/** A handler definition: route metadata (a RouteInfo) plus what runs it. */
export interface HandlerDefinition<
  M extends HttpMethod = HttpMethod,
  P extends string = string,
  S extends RouteSchema = RouteSchema,
  Svc extends ServiceTokens = ServiceTokens,
> {
  readonly method: M;
  readonly path: P;
  /** SEAMS §H RouteMeta: schema, summary, tags, operationId ... */
  readonly meta: Omit<RouteMeta, 'schema'> & { readonly schema: S };
  readonly services: Svc;
  readonly handle: HandlerSpec<M, P, S, Svc>['handle'];
}

/**
 * Any definition, as the bindings take them. Deliberately loose (`meta: object`): a definition
 * written inline in `bindHttp(app, [defineHandler({...})])` then infers its types from its own
 * fields, not from this parameter type.
 */
export interface BindableDefinition {
  readonly method: HttpMethod;
  readonly path: string;
  readonly meta: object;
  readonly services: unknown;
  readonly handle: unknown;
}

const METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']);
const PARTS = ['params', 'querystring', 'headers', 'body'] as const;
const STATUS_KEY = /^(?:[1-5][0-9][0-9]|[1-5]xx|[1-5]XX|default)$/;

function invalid(where: string, message: string): never {
  throw new HandlersError('ERR_HANDLERS_INVALID_DEFINITION', `Handler ${where}: ${message}`);
}

function checkSchema(where: string, schema: RouteSchema): void {
  if (schema === null || typeof schema !== 'object')
    invalid(where, 'schema must be an object { params, querystring, headers, body, response }.');
  for (const part of PARTS) {
    if (schema[part] !== undefined && !isStandardSchema(schema[part])) {
      invalid(where, `schema.${part} is not a Standard Schema (zod 4, valibot ...).`);
    }
  }
  for (const [status, entry] of Object.entries(schema.response ?? {})) {
    if (!STATUS_KEY.test(status))
      invalid(where, `response key "${status}" must be a status (200), a range ('2xx') or 'default'.`);
    const nested = entry as { schema?: unknown };
    if (
      !isStandardSchema(entry) &&
      (entry === null ||
        typeof entry !== 'object' ||
        (nested.schema !== undefined && !isStandardSchema(nested.schema)))
    ) {
      invalid(
        where,
        `response ${status} must be a Standard Schema or { description?, contentType?, schema? }.`,
      );
    }
  }
}

/**
 * Declares a handler once: route, schemas, services and the function that answers.
 *
 * @example
 * export const getUser = defineHandler({
 *   method: 'GET',
 *   path: '/users/:id',
 *   schema: { params: z.object({ id: z.coerce.number() }), response: { 200: User } },
 *   services: { users: UserRepository },
 *   handle: ({ params }, { users }) => users.find(params.id),
 * });
 */
export function defineHandler<
  const M extends HttpMethod,
  const P extends string,
  const S extends RouteSchema = Record<never, never>,
  const Svc extends ServiceTokens = Record<never, never>,
>(spec: HandlerSpec<M, P, S, Svc>): HandlerDefinition<M, P, S, Svc> {
  const where = `${String(spec?.method)} ${String(spec?.path)}`;
  if (spec === null || typeof spec !== 'object')
    invalid('?', 'defineHandler() takes { method, path, schema?, services?, handle }.');
  if (!METHODS.has(spec.method))
    invalid(where, `method must be one of ${[...METHODS].join(', ')} (upper case).`);
  if (typeof spec.path !== 'string' || !spec.path.startsWith('/'))
    invalid(where, 'path must start with "/", e.g. /users/:id.');
  if (typeof spec.handle !== 'function') invalid(where, 'handle(input, services, ctx) must be a function.');
  if (spec.schema !== undefined) checkSchema(where, spec.schema);
  const services = (spec.services ?? {}) as Svc;
  for (const [name, dependency] of Object.entries(services)) {
    if (!isToken(dependency)) invalid(where, `services.${name} is not a token; use token<T>("Name").`);
  }
  const { method, path, schema, services: _services, handle, ...rest } = spec;
  const meta = Object.freeze({ ...rest, schema: (schema ?? {}) as S });
  return Object.freeze({ method, path, meta, services, handle });
}
