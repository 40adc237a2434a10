// OpenAPI 3.1 from route metadata: one operation per route, shared schemas and problem+json errors
// as components, deterministic output (the drift check compares it with a committed file).
import { DevtoolsError } from './errors.js';
import { type Operation, type OperationContext, toOperation } from './operation.js';
import { toPathTemplates } from './path-template.js';
import { problemResponses, problemSchemas } from './problem-schemas.js';
import { metaOf, type RouteInfo, type RouteSource, readRoutes } from './route-source.js';
import { type JsonSchemaConverter, SchemaComponents } from './schema-components.js';

/** An OpenAPI 3.1 document (the members devtools writes; any others pass through). */
export interface OpenApiDocument {
  openapi: '3.1.0';
  info: OpenApiInfo;
  servers?: Array<{ url: string; description?: string }>;
  tags?: Array<{ name: string; description?: string }>;
  security?: Array<Record<string, string[]>>;
  paths: Record<string, Record<string, unknown>>;
  components: Record<string, Record<string, unknown>>;
  [extension: string]: unknown;
}

/** The document's `info`. */
export interface OpenApiInfo {
  title: string;
  version: string;
  description?: string;
  [extension: string]: unknown;
}

/** Options of {@link generateOpenApi}. */
export interface OpenApiOptions {
  /** `info.title` / `info.version` ...; default `{ title: 'API', version: '0.0.0' }`. */
  info?: OpenApiInfo;
  /** Base URLs; none means "the origin the document was loaded from". */
  servers?: Array<{ url: string; description?: string }>;
  /** `components.securitySchemes`, e.g. `{ bearer: { type: 'http', scheme: 'bearer' } }`. */
  securitySchemes?: Record<string, Record<string, unknown>>;
  /** Security requirements of every operation that declares none (`meta.security: []` opts out). */
  security?: Array<Record<string, string[]>>;
  /** Descriptions of tags; tags used by routes are listed too, in order of first use. */
  tags?: Array<{ name: string; description?: string }>;
  /** The status of a validation failure (SEAMS §I): 400 by default, 422 if your validator answers that. */
  validationStatus?: 400 | 422;
  /** Add the problem+json error responses (validation, body, 401, default); `true` by default. */
  problemResponses?: boolean;
  /** Converts Standard Schemas that have no `~standard.jsonSchema` (valibot ...). */
  toJsonSchema?: JsonSchemaConverter;
}

const METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);

/**
 * Generates the OpenAPI 3.1 document of a set of routes.
 *
 * @example
 * const document = generateOpenApi(app, { info: { title: 'Shop', version: '1.0.0' } });
 */
export function generateOpenApi(source: RouteSource, options: OpenApiOptions = {}): OpenApiDocument {
  const validationStatus = options.validationStatus ?? 400;
  if (validationStatus !== 400 && validationStatus !== 422) {
    throw new DevtoolsError(
      'ERR_DEVTOOLS_INVALID_OPTION',
      `validationStatus must be 400 or 422, got ${validationStatus}.`,
    );
  }
  const schemas = new SchemaComponents(options.toJsonSchema);
  const context: OperationContext = {
    schemas,
    validationStatus,
    problems: options.problemResponses !== false,
    security: options.security,
    usedResponses: new Set(),
    operationIds: new Map(),
  };
  const paths: OpenApiDocument['paths'] = {};
  const tags = new Map((options.tags ?? []).map((tag) => [tag.name, tag]));
  for (const route of readRoutes(source)) {
    const method = String(route.method).toLowerCase();
    const meta = metaOf(route);
    if (!METHODS.has(method) || meta.hide === true) continue;
    for (const [index, path] of toPathTemplates(route.path).entries()) {
      paths[path.template] ??= {};
      const item = paths[path.template]!;
      if (item[method] !== undefined) throw duplicate(route, path.template);
      const operation = toOperation(route, meta, path, index, context);
      item[method] = operation;
      for (const tag of operation.tags ?? []) if (!tags.has(tag)) tags.set(tag, { name: tag });
    }
  }
  checkSecurity(paths, options);
  return assemble(paths, [...tags.values()], schemas, context, options);
}

function assemble(
  paths: OpenApiDocument['paths'],
  tags: Array<{ name: string; description?: string }>,
  schemas: SchemaComponents,
  context: OperationContext,
  options: OpenApiOptions,
): OpenApiDocument {
  if (context.problems)
    for (const [name, body] of Object.entries(problemSchemas())) schemas.addFixed(name, body);
  const components: OpenApiDocument['components'] = {};
  const schemaComponents = schemas.finish();
  if (Object.keys(schemaComponents).length > 0) components.schemas = schemaComponents;
  const responses = Object.entries(problemResponses(context.validationStatus)).filter(([name]) =>
    context.usedResponses.has(name),
  );
  if (responses.length > 0) components.responses = Object.fromEntries(responses);
  if (options.securitySchemes !== undefined) components.securitySchemes = { ...options.securitySchemes };
  const document: OpenApiDocument = {
    openapi: '3.1.0',
    info: options.info ?? { title: 'API', version: '0.0.0' },
    paths,
    components,
  };
  if (options.servers !== undefined) document.servers = options.servers;
  if (tags.length > 0) document.tags = tags;
  if (options.security !== undefined) document.security = options.security;
  // Key order as the OpenAPI spec lists the fields, so the written file reads naturally.
  const { openapi, info, servers, tags: tagList, security, paths: pathItems } = document;
  return JSON.parse(
    JSON.stringify({ openapi, info, servers, tags: tagList, security, paths: pathItems, components }),
  ) as OpenApiDocument;
}

function checkSecurity(paths: OpenApiDocument['paths'], options: OpenApiOptions): void {
  const known = new Set(Object.keys(options.securitySchemes ?? {}));
  const check = (requirements: Array<Record<string, string[]>> | undefined, where: string) => {
    for (const requirement of requirements ?? []) {
      for (const name of Object.keys(requirement)) {
        if (!known.has(name)) {
          throw new DevtoolsError(
            'ERR_DEVTOOLS_UNKNOWN_SECURITY_SCHEME',
            `${where} requires the security scheme "${name}", which securitySchemes does not define; add it to the securitySchemes option.`,
          );
        }
      }
    }
  };
  check(options.security, 'The security option');
  for (const [path, item] of Object.entries(paths)) {
    for (const [method, operation] of Object.entries(item)) {
      check((operation as Operation).security, `${method.toUpperCase()} ${path}`);
    }
  }
}

function duplicate(route: RouteInfo, template: string): DevtoolsError {
  return new DevtoolsError(
    'ERR_DEVTOOLS_DUPLICATE_OPERATION',
    `Two routes describe ${route.method.toUpperCase()} ${template}; list each method and path once (hide one with meta.hide).`,
  );
}
