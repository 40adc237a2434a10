// The one route declaration (Fastify's route `schema` shape) that validation, handlers and devtools
// all read, declared here structurally so that no package imports another.
import { isStandardSchema, type StandardSchemaV1 } from './standard-schema.js';

/** A response schema: a bare schema (application/json) or one with a description and content type. */
export type ResponseSchema =
  | StandardSchemaV1
  | { description?: string; contentType?: string; schema?: StandardSchemaV1 };

/** What a route takes and returns, as Fastify's route `schema` spells it; any Standard Schema. */
export interface RouteSchema {
  /** Path parameters: strings in, coerced by the schema's declared types. */
  params?: StandardSchemaV1;
  /** The query: repeated keys become arrays where the schema says array. */
  querystring?: StandardSchemaV1;
  /** Request headers, by lower-case name. */
  headers?: StandardSchemaV1;
  /** The JSON request body. */
  body?: StandardSchemaV1;
  /** By status (200, 201, 204, 404 ...) or `2xx` / `4xx` / `default`. */
  response?: Record<string | number, ResponseSchema>;
}

/** The request parts a route schema validates, in the order they are checked. */
export type RequestPart = 'params' | 'querystring' | 'headers' | 'body';

/** The request parts, in validation order. */
export const requestParts: readonly RequestPart[] = ['params', 'querystring', 'headers', 'body'];

type OutputOf<Schema> = Schema extends StandardSchemaV1 ? StandardSchemaV1.InferOutput<Schema> : undefined;

/** The typed, validated input of a route: each declared part's schema output. */
export type ValidatedInput<Schema extends RouteSchema> = {
  readonly [Part in RequestPart]: OutputOf<Schema[Part]>;
};

/** The body schema of a response entry (bare, or `{ schema }`), or undefined when it declares none. */
export function responseBodySchema(entry: unknown): StandardSchemaV1 | undefined {
  if (isStandardSchema(entry)) return entry;
  const nested = (entry as { schema?: unknown } | null)?.schema;
  return isStandardSchema(nested) ? nested : undefined;
}

/** Whether a response entry declares no body at all (`{ description: 'No content' }`). */
export function declaresNoBody(entry: unknown): boolean {
  if (typeof entry !== 'object' || entry === null || isStandardSchema(entry)) return false;
  return Object.keys(entry).every((key) => key === 'description' || key === 'contentType');
}
