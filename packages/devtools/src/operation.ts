// One OpenAPI operation from one route: operation id, parameters from the params / querystring /
// headers schemas, the request body, and a response per status plus the problem+json errors.
import { DevtoolsError } from './errors.js';
import type { PathTemplate } from './path-template.js';
import { PROBLEM_MEDIA_TYPE, reasonPhrase } from './problem-schemas.js';
import {
  isStandardSchema,
  type RouteInfo,
  type RouteMeta,
  type RouteResponse,
  type SchemaLike,
} from './route-source.js';
import type { JsonSchema, SchemaComponents } from './schema-components.js';

/** An OpenAPI operation object as devtools writes it. */
export interface Operation {
  tags?: string[];
  summary?: string;
  description?: string;
  operationId: string;
  parameters?: Array<Record<string, unknown>>;
  requestBody?: Record<string, unknown>;
  responses: Record<string, unknown>;
  deprecated?: boolean;
  security?: Array<Record<string, string[]>>;
}

/** Internal: what all operations of one document share. */
export interface OperationContext {
  readonly schemas: SchemaComponents;
  readonly validationStatus: 400 | 422;
  readonly problems: boolean;
  readonly security: Array<Record<string, string[]>> | undefined;
  /** Names of `components.responses` referenced so far. */
  readonly usedResponses: Set<string>;
  /** operationId → the route that took it. */
  readonly operationIds: Map<string, string>;
}

// Header parameters OpenAPI 3.1 §4.8.12.1 says are ignored: they are described elsewhere.
const IGNORED_HEADERS = new Set(['accept', 'content-type', 'authorization']);

/** Internal: the operation of `route` at `path` (`index` > 0 for the longer form of an optional parameter). */
export function toOperation(
  route: RouteInfo,
  meta: RouteMeta,
  path: PathTemplate,
  index: number,
  context: OperationContext,
): Operation {
  const where = `${route.method.toUpperCase()} ${route.path}`;
  const schema = meta.schema ?? {};
  const operation: Operation = {
    operationId: operationIdOf(route, meta, path, index, context),
    responses: {},
  };
  if (Array.isArray(meta.tags) && meta.tags.length > 0) operation.tags = [...meta.tags];
  if (typeof meta.summary === 'string') operation.summary = meta.summary;
  if (typeof meta.description === 'string') operation.description = meta.description;
  const parameters = parametersOf(schema, path, where, context.schemas);
  if (parameters.length > 0) operation.parameters = parameters;
  if (schema.body !== undefined) {
    operation.requestBody = {
      required: true,
      content: {
        'application/json': { schema: context.schemas.schemaOf(schema.body, 'input', `${where} body`) },
      },
    };
  }
  operation.responses = responsesOf(schema, meta, where, context);
  if (meta.deprecated === true) operation.deprecated = true;
  if (Array.isArray(meta.security)) operation.security = meta.security;
  return operation;
}

function operationIdOf(
  route: RouteInfo,
  meta: RouteMeta,
  path: PathTemplate,
  index: number,
  context: OperationContext,
): string {
  const where = `${route.method.toUpperCase()} ${path.template}`;
  if (typeof meta.operationId === 'string' && meta.operationId !== '') {
    // The longer form of an optional parameter needs an id of its own.
    const id =
      index === 0 ? meta.operationId : `${meta.operationId}With${pascal(path.parameters.at(-1)!.name)}`;
    const taken = context.operationIds.get(id);
    if (taken !== undefined) {
      throw new DevtoolsError(
        'ERR_DEVTOOLS_DUPLICATE_OPERATION',
        `operationId "${id}" is used by ${taken} and ${where}; give each route its own.`,
      );
    }
    context.operationIds.set(id, where);
    return id;
  }
  const base = derivedId(route.method, path);
  let id = base;
  for (let counter = 2; context.operationIds.has(id); counter++) id = `${base}${counter}`;
  context.operationIds.set(id, where);
  return id;
}

/** `GET /users/{id}/posts` → `getUsersByIdPosts`, `GET /` → `getRoot`. */
function derivedId(method: string, path: PathTemplate): string {
  const words = path.template
    .split('/')
    .filter(Boolean)
    .map((segment) =>
      segment.replace(/\{([^}]+)\}|([^{]+)/g, (_all, name: string | undefined, text: string | undefined) =>
        name !== undefined ? `By${pascal(name)}` : pascal(text ?? ''),
      ),
    );
  return method.toLowerCase() + (words.join('') || 'Root');
}

function pascal(text: string): string {
  return text
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((word) => word[0]!.toUpperCase() + word.slice(1))
    .join('');
}

function parametersOf(
  schema: NonNullable<RouteMeta['schema']>,
  path: PathTemplate,
  where: string,
  schemas: SchemaComponents,
): Array<Record<string, unknown>> {
  const parameters: Array<Record<string, unknown>> = [];
  const pathSchema =
    schema.params === undefined ? undefined : schemas.objectOf(schema.params, 'input', `${where} params`);
  for (const { name, key } of path.parameters) {
    const property = pathSchema?.properties[key] ?? { type: 'string' };
    parameters.push(parameter(name, 'path', true, property));
  }
  const parts = [
    ['query', schema.querystring, 'querystring'],
    ['header', schema.headers, 'headers'],
  ] as const;
  for (const [location, part, label] of parts) {
    if (part === undefined) continue;
    const { properties, required } = schemas.objectOf(part, 'input', `${where} ${label}`);
    for (const [name, property] of Object.entries(properties)) {
      if (location === 'header' && IGNORED_HEADERS.has(name.toLowerCase())) continue;
      parameters.push(parameter(name, location, required.has(name), property));
    }
  }
  return parameters;
}

function parameter(
  name: string,
  location: string,
  required: boolean,
  schema: JsonSchema,
): Record<string, unknown> {
  const entry: Record<string, unknown> = { name, in: location };
  if (typeof schema.description === 'string') entry.description = schema.description;
  if (required) entry.required = true;
  if (schema.deprecated === true) entry.deprecated = true;
  entry.schema = schema;
  return entry;
}

function responsesOf(
  schema: NonNullable<RouteMeta['schema']>,
  meta: RouteMeta,
  where: string,
  context: OperationContext,
): Record<string, unknown> {
  const responses: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema.response ?? {})) {
    const status = statusKey(key, where);
    responses[status] = responseOf(status, value, `${where} response ${key}`, context);
  }
  if (!Object.keys(responses).some((status) => /^[123]/.test(status)))
    responses['200'] = { description: 'OK' };
  if (!context.problems) return responses;
  const reference = (status: string, name: string) => {
    if (responses[status] !== undefined) return;
    responses[status] = { $ref: `#/components/responses/${name}` };
    context.usedResponses.add(name);
  };
  const hasInput = ['params', 'querystring', 'headers', 'body'].some(
    (part) => schema[part as keyof typeof schema] !== undefined,
  );
  if (schema.body !== undefined && context.validationStatus === 422) reference('400', 'MalformedBody');
  if (hasInput) reference(String(context.validationStatus), 'ValidationFailed');
  if (schema.body !== undefined) {
    reference('413', 'ContentTooLarge');
    reference('415', 'UnsupportedMediaType');
  }
  const security = Array.isArray(meta.security) ? meta.security : context.security;
  if (security?.some((requirement) => Object.keys(requirement).length > 0)) {
    reference('401', 'Unauthorized');
  }
  reference('default', 'Problem');
  return Object.fromEntries(Object.entries(responses).sort(([a], [b]) => statusOrder(a) - statusOrder(b)));
}

function statusOrder(status: string): number {
  return status === 'default' ? 1000 : Number(status.replace(/X/g, '9'));
}

function statusKey(key: string, where: string): string {
  if (key === 'default') return key;
  if (/^[1-5]xx$/i.test(key)) return key.toUpperCase();
  const status = Number(key);
  if (!Number.isInteger(status) || status < 100 || status > 599) {
    throw new DevtoolsError(
      'ERR_DEVTOOLS_INVALID_ROUTE',
      `${where}: response key "${key}" is not a status (100-599), "2xx"-style range or "default".`,
    );
  }
  return String(status);
}

function responseOf(
  status: string,
  value: RouteResponse,
  where: string,
  context: OperationContext,
): Record<string, unknown> {
  const isError = status === 'default' || /^[45]/.test(status);
  const described = describedResponse(value);
  const description =
    described?.description ??
    (/^\d+$/.test(status) ? reasonPhrase(Number(status)) : isError ? 'Error' : 'Success');
  const bodySchema = described === undefined ? (value as SchemaLike) : described.schema;
  const response: Record<string, unknown> = { description };
  if (status === '204' || status === '304') return response;
  if (bodySchema !== undefined) {
    // SEAMS §H: a bare schema means application/json, whatever the status (the handler serializes it).
    const contentType = described?.contentType ?? 'application/json';
    response.content = { [contentType]: { schema: context.schemas.schemaOf(bodySchema, 'output', where) } };
  } else if (isError && context.problems) {
    // No schema on an error status: the error handler's problem+json answers it.
    const contentType = described?.contentType ?? PROBLEM_MEDIA_TYPE;
    response.content = { [contentType]: { schema: { $ref: '#/components/schemas/Problem' } } };
  }
  return response;
}

// `{ description, contentType, schema }` rather than a bare schema: no `~standard`, and only those keys
// (a plain JSON Schema can have a `description` too, but never a `schema` or `contentType`).
function describedResponse(
  value: RouteResponse,
): { description?: string; contentType?: string; schema?: SchemaLike } | undefined {
  if (value === null || typeof value !== 'object' || isStandardSchema(value)) return undefined;
  const keys = Object.keys(value);
  const described = keys.every((key) => key === 'description' || key === 'contentType' || key === 'schema');
  if (!described) return undefined;
  // \`{}\` declares the status with nothing more: no body schema (an error then answers as Problem).
  if (
    keys.length === 0 ||
    keys.includes('schema') ||
    keys.includes('contentType') ||
    (keys.length === 1 && keys[0] === 'description')
  ) {
    return value as { description?: string; contentType?: string; schema?: SchemaLike };
  }
  return undefined;
}
