// The one route declaration (SEAMS §H), declared here for this package alone: Fastify's route-schema
// keys holding any Standard Schema, and the route metadata @plinth/http's `app.routes` carries.

/** A Standard Schema issue (https://standardschema.dev). */
export interface StandardIssue {
  readonly message: string;
  readonly path?: ReadonlyArray<PropertyKey | { readonly key: PropertyKey }> | undefined;
}

/** The result of a Standard Schema `validate`. */
export type StandardResult<Output> =
  | { readonly value: Output; readonly issues?: undefined }
  | { readonly issues: ReadonlyArray<StandardIssue> };

/** Any Standard Schema (zod 4, valibot, ArkType ...): the `~standard` property. */
export interface StandardSchemaV1<Input = unknown, Output = Input> {
  readonly '~standard': {
    readonly version: 1;
    readonly vendor: string;
    readonly validate: (value: unknown) => StandardResult<Output> | Promise<StandardResult<Output>>;
    readonly types?: { readonly input: Input; readonly output: Output } | undefined;
  };
}

/** The type a schema accepts. */
export type InferInput<S> = S extends StandardSchemaV1
  ? NonNullable<S['~standard']['types']>['input']
  : unknown;
/** The type a schema produces. */
export type InferOutput<S> = S extends StandardSchemaV1
  ? NonNullable<S['~standard']['types']>['output']
  : unknown;

/** One response: a bare schema (application/json) or a schema with a description and media type. */
export type ResponseEntry =
  | StandardSchemaV1
  | { description?: string; contentType?: string; schema?: StandardSchemaV1 };

/** A route's schemas in Fastify's route-`schema` shape (SEAMS §H). */
export interface RouteSchema {
  /** Path parameters (strings in; a schema that coerces turns them into numbers). */
  params?: StandardSchemaV1;
  /** Query string (repeated keys arrive as arrays). */
  querystring?: StandardSchemaV1;
  /** Request headers by lower-case name. */
  headers?: StandardSchemaV1;
  /** The JSON request body. */
  body?: StandardSchemaV1;
  /** By status (200, 201, 204, 404 ...), or '2xx' / '4xx' / 'default'. */
  response?: Record<string | number, ResponseEntry>;
}

/** What a handler definition's `meta` (and @plinth/http's `app.routes[i].meta`) carries. */
export interface RouteMeta {
  schema?: RouteSchema;
  summary?: string;
  description?: string;
  tags?: string[];
  operationId?: string;
  deprecated?: boolean;
  /** OpenAPI security requirements, e.g. [{ bearer: [] }]. */
  security?: Array<Record<string, string[]>>;
}

/** Internal: whether `value` is a Standard Schema. */
export function isStandardSchema(value: unknown): value is StandardSchemaV1 {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return false;
  const standard = (value as { '~standard'?: { validate?: unknown } })['~standard'];
  return typeof standard === 'object' && standard !== null && typeof standard.validate === 'function';
}

/** Internal: the schema and media type of one response entry. */
export function readResponseEntry(entry: ResponseEntry): { schema?: StandardSchemaV1; contentType: string } {
  if (isStandardSchema(entry)) return { schema: entry, contentType: 'application/json' };
  const result: { schema?: StandardSchemaV1; contentType: string } = {
    contentType: entry.contentType ?? 'application/json',
  };
  if (entry.schema !== undefined) result.schema = entry.schema;
  return result;
}
