// RouteSource: the structural shape devtools reads routes from (SEAMS §H). @plinth/http's `app.routes`,
// handler definitions and the Express / Fastify collectors all satisfy it; nothing is imported.
import { DevtoolsError } from './errors.js';

/** The Standard Schema interface (`~standard`), the part devtools reads. zod 4, valibot, ArkType... */
export interface StandardSchemaV1 {
  readonly '~standard': {
    readonly version: 1;
    readonly vendor: string;
    readonly validate: (value: unknown) => unknown;
    /** Standard JSON Schema (zod 4 implements it): the schema as JSON Schema, per direction. */
    readonly jsonSchema?: {
      readonly input: (options: StandardJsonSchemaOptions) => Record<string, unknown>;
      readonly output: (options: StandardJsonSchemaOptions) => Record<string, unknown>;
    };
  };
}

/** The options a Standard JSON Schema converter takes. */
export interface StandardJsonSchemaOptions {
  readonly target: 'draft-2020-12' | 'draft-07' | 'openapi-3.0' | (string & {});
  readonly libraryOptions?: Record<string, unknown>;
}

/**
 * A schema devtools can describe: a Standard Schema, or a plain JSON Schema object (as Fastify users
 * write in a route's `schema`).
 */
export type SchemaLike = StandardSchemaV1 | Readonly<Record<string, unknown>>;

/** One response: a bare schema (application/json), or with a description and content type. */
export type RouteResponse = SchemaLike | { description?: string; contentType?: string; schema?: SchemaLike };

/** A route's schemas in Fastify's route-`schema` shape (SEAMS §H). */
export interface RouteSchema {
  /** Path parameters. */
  params?: SchemaLike;
  /** The query string. */
  querystring?: SchemaLike;
  /** Request headers, lower-case names. */
  headers?: SchemaLike;
  /** The request body (application/json). */
  body?: SchemaLike;
  /** By status (200, 201, 204, 404 ...), or '2xx' / '4xx' / 'default'. A bare schema means application/json. */
  response?: Readonly<Record<string | number, RouteResponse>>;
}

/** What @plinth/http's `app.routes[i].meta` and a handler definition's metadata carry (SEAMS §H). */
export interface RouteMeta {
  schema?: RouteSchema;
  summary?: string;
  description?: string;
  tags?: string[];
  operationId?: string;
  deprecated?: boolean;
  /** OpenAPI security requirements, e.g. `[{ bearer: [] }]`; `[]` makes the route public. */
  security?: Array<Record<string, string[]>>;
  /** Leave the route out of the document. */
  hide?: boolean;
}

/** One route: exactly what @plinth/http's `app.routes` lists. */
export interface RouteInfo {
  /** The method, any case (`GET`, `post`). */
  readonly method: string;
  /** The pattern in @plinth/http / Express 5 / find-my-way syntax: `/users/:id`, `/files/*`. */
  readonly path: string;
  /** The route's metadata; unknown keys are ignored. */
  readonly meta?: RouteMeta | Readonly<Record<string, unknown>> | undefined;
}

/**
 * Where devtools reads routes: a list of {@link RouteInfo} or anything with a `routes` list
 * (a @plinth/http app, a Fastify collector). A handler definition that carries its `method`, `path`
 * and `meta` is a RouteInfo already.
 */
export type RouteSource = Iterable<RouteInfo> | { readonly routes: Iterable<RouteInfo> };

/** Internal: the routes of a source, as an array (read each time: routes added later count). */
export function readRoutes(source: RouteSource): RouteInfo[] {
  if (source !== null && typeof source === 'object' && 'routes' in source) return [...source.routes];
  if (source !== null && typeof source === 'object' && Symbol.iterator in source) return [...source];
  throw new DevtoolsError(
    'ERR_DEVTOOLS_INVALID_OPTION',
    'Expected a RouteSource: an array of { method, path, meta }, or an object with `routes` such as a @plinth/http app.',
  );
}

/** Internal: the route's metadata, also when a handler definition carries its fields at the top level. */
export function metaOf(route: RouteInfo): RouteMeta {
  const meta = route.meta;
  if (meta !== undefined && meta !== null && typeof meta === 'object') return meta as RouteMeta;
  return route as unknown as RouteMeta;
}

/** Internal: whether a value is a Standard Schema. */
export function isStandardSchema(value: unknown): value is StandardSchemaV1 {
  return (
    value !== null &&
    (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as { '~standard'?: unknown })['~standard'] === 'object'
  );
}
