export {
  bindHttp,
  type HttpMiddleware,
  type HttpRouteContext,
  type HttpRoutes,
  requestScope,
} from './adapters/http.js';
export type { BindOptions } from './bind.js';
export {
  Container,
  type ContainerOptions,
  createContainer,
  type RunOptions,
} from './container.js';
export {
  type BindableDefinition,
  defineHandler,
  type HandlerContext,
  type HandlerDefinition,
  type HandlerInput,
  type HandlerResult,
  type HandlerSpec,
  type HttpMethod,
  type Services,
  type ServiceTokens,
} from './definition.js';
export {
  type FieldError,
  HandlersError,
  type HandlersErrorCode,
  RequestError,
  type RequestErrorCode,
  type SchemaIssue,
  ValidationError,
} from './errors.js';
export type { PathParams } from './path-params.js';
export type { ProblemDetails } from './problem.js';
export type { AnyToken, DependencyValues, LifetimeLeak, RegistrationOptions } from './registration.js';
export { created, noContent, type Reply, type ReplyOptions, reply } from './reply.js';
export type { SerializerFactory } from './respond.js';
export type {
  InferInput,
  InferOutput,
  ResponseEntry,
  RouteMeta,
  RouteSchema,
  StandardIssue,
  StandardResult,
  StandardSchemaV1,
} from './schema.js';
export { Scope } from './scope.js';
export { type Lifetime, scopedToken, type Token, type TokenValue, token } from './token.js';
