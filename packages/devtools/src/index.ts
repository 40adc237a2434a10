export { devErrorPage, openApi, serverTiming, timed } from './adapters/fetch.js';
export { type ErrorPageRequest, isProduction, renderErrorPage } from './dev-error-page.js';
export { type DocumentDifference, diffDocuments, formatDifferences } from './document-diff.js';
export { DevtoolsError, type DevtoolsErrorCode } from './errors.js';
export type { Middleware, MiddlewareContext } from './middleware-context.js';
export { generateOpenApi, type OpenApiDocument, type OpenApiInfo, type OpenApiOptions } from './openapi.js';
export type { OpenApiEndpointsOptions } from './openapi-endpoints.js';
export type {
  RouteInfo,
  RouteMeta,
  RouteResponse,
  RouteSchema,
  RouteSource,
  SchemaLike,
  StandardJsonSchemaOptions,
  StandardSchemaV1,
} from './route-source.js';
export { formatRouteTable } from './route-table.js';
export type { JsonSchema, JsonSchemaConverter, SchemaDirection } from './schema-components.js';
export type {
  EventLoopDelaySource,
  ServerTimingOptions,
  TimingEntry,
  TimingLogger,
} from './server-timing.js';
