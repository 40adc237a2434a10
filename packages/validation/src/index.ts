export { type Dto, type DtoOptions, defineDto, type OmittableSchema } from './dto.js';
export {
  type FieldError,
  RequestBodyError,
  type RequestBodyErrorCode,
  RequestValidationError,
  type RequestValidationErrorOptions,
  ValidationError,
  type ValidationErrorCode,
} from './errors.js';
export { type JsonSchema, type ToJsonSchemaOptions, toJsonSchema } from './json-schema.js';
export { jsonString } from './json-string.js';
export type { RequestPart, ResponseSchema, RouteSchema, ValidatedInput } from './route-schema.js';
export {
  createRouteValidator,
  type ForwardErrorsOption,
  type RawRequest,
  type RouteValidator,
  type ValidationOptions,
} from './route-validator.js';
export { defaultJsonLimits, type JsonLimits, parseJsonText } from './safe-json.js';
export { createSerializer, type Serializer, type SerializerOptions, serialize } from './serializer.js';
export type {
  StandardJSONSchemaConverter,
  StandardJSONSchemaOptions,
  StandardSchemaV1,
} from './standard-schema.js';
