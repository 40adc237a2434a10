// Fastify: validator and serializer compilers, so a route keeps Fastify's own `schema` API with zod (or
// any Standard Schema), plus a plugin that also installs this package's JSON body parser and answers
// validation and body errors as problem+json. Non-encapsulated (the fastify-plugin convention).
import type {
  FastifyInstance,
  FastifyPluginAsync,
  FastifyReply,
  FastifyRequest,
  FastifySchemaCompiler,
  FastifySerializerCompiler,
  FastifyTypeProvider,
} from 'fastify';
import { isJsonMediaType } from '../body.js';
import { RequestBodyError, ValidationError } from '../errors.js';
import { isRequestError, renderProblem } from '../problem.js';
import { declaresNoBody, type RequestPart, responseBodySchema } from '../route-schema.js';
import {
  createRouteValidator,
  type ForwardErrorsOption,
  type ValidationOptions,
} from '../route-validator.js';
import { parseJsonBytes } from '../safe-json.js';
import { createSerializer } from '../serializer.js';
import { isStandardSchema, type StandardSchemaV1 } from '../standard-schema.js';

/**
 * Fastify's type provider for Standard Schemas: `fastify.withTypeProvider<StandardSchemaProvider>()`
 * types `request.params/query/headers/body` by each schema's output and `reply.send()` by the
 * response schema's input.
 */
export interface StandardSchemaProvider extends FastifyTypeProvider {
  readonly validator: this['schema'] extends StandardSchemaV1
    ? StandardSchemaV1.InferOutput<this['schema']>
    : unknown;
  readonly serializer: this['schema'] extends StandardSchemaV1
    ? StandardSchemaV1.InferInput<this['schema']>
    : unknown;
}

/** Options of the Fastify plugin: the route validation options and `forwardErrors`. */
export type FastifyValidationOptions = ValidationOptions & ForwardErrorsOption;

const parts: Record<string, RequestPart> = {
  params: 'params',
  querystring: 'querystring',
  headers: 'headers',
  body: 'body',
};

type CompiledValidator = (data: unknown) => { value?: unknown; error?: Error };

/**
 * A validator compiler for `fastify.setValidatorCompiler`: Standard Schemas in a route's `schema`
 * (params, querystring, headers, body) are validated with this package's coercion and error shape.
 */
export function validatorCompiler(options: ValidationOptions = {}): FastifySchemaCompiler<unknown> {
  return ({ schema, httpPart }) => {
    const part = parts[httpPart ?? ''];
    if (part === undefined || !isStandardSchema(schema)) {
      throw new ValidationError(
        'ERR_VALIDATION_NOT_A_SCHEMA',
        `The route's schema.${httpPart ?? '?'} is not a Standard Schema; with this validator compiler give a zod or valibot schema.`,
      );
    }
    const validator = createRouteValidator({ [part]: schema }, options);
    const check: CompiledValidator = (data) => {
      // Fastify hands `null` for a request without a body.
      const raw = part === 'body' && data === null ? undefined : data;
      try {
        const result = validator.validate({ [part]: raw } as Record<RequestPart, never>);
        if (result instanceof Promise) {
          result.catch(() => {});
          return {
            error: new ValidationError(
              'ERR_VALIDATION_ASYNC_SCHEMA',
              `schema.${part} validates asynchronously; Fastify's validator compiler needs a synchronous schema.`,
            ),
          };
        }
        const value = result[part];
        // Headers keep the ones the schema does not name, as Fastify's own validation does.
        return { value: part === 'headers' ? { ...(data as object), ...(value as object) } : value };
      } catch (error) {
        return { error: error as Error };
      }
    };
    return check;
  };
}

/**
 * A serializer compiler for `fastify.setSerializerCompiler`: a Standard Schema response writes only
 * the fields it names (compiled for zod). A JSON Schema is refused when the route is registered, since
 * writing it with JSON.stringify would send fields fast-json-stringify used to drop.
 */
export function serializerCompiler(): FastifySerializerCompiler<unknown> {
  return ({ schema, method, url, httpStatus }) => {
    const standard = responseBodySchema(schema);
    if (standard !== undefined) return createSerializer(standard);
    if (declaresNoBody(schema)) return (data) => JSON.stringify(data);
    throw new ValidationError(
      'ERR_VALIDATION_NOT_A_SCHEMA',
      `The response schema ${httpStatus} of ${method} ${url} is not a Standard Schema; give a zod or valibot schema, or register @plinth/validation's compilers only in the scope of such routes.`,
    );
  };
}

// Fastify's own body failures, answered with the shared wire codes (SEAMS §B).
const fastifyBodyErrors: Record<string, ConstructorParameters<typeof RequestBodyError>[0]> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'CONTENT_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'MALFORMED_BODY',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'MALFORMED_BODY',
  FST_ERR_CTP_INVALID_JSON_BODY: 'MALFORMED_BODY',
};

function asRequestError(error: unknown): ReturnType<typeof renderProblem> | undefined {
  if (isRequestError(error)) return renderProblem(error);
  const code = (error as { code?: unknown } | null)?.code;
  const wire = typeof code === 'string' ? fastifyBodyErrors[code] : undefined;
  return wire === undefined ? undefined : renderProblem(new RequestBodyError(wire, (error as Error).message));
}

function installJsonParser(fastify: FastifyInstance, options: ValidationOptions): void {
  const limits = createRouteValidator({}, options).limits;
  const parse = (
    _request: FastifyRequest,
    body: Buffer,
    done: (error: Error | null, value?: unknown) => void,
  ) => {
    try {
      done(null, body.byteLength === 0 ? undefined : parseJsonBytes(body, limits));
    } catch (error) {
      done(error as Error);
    }
  };
  fastify.removeContentTypeParser('application/json');
  const parserOptions = { parseAs: 'buffer', bodyLimit: limits.maxBytes } as const;
  fastify.addContentTypeParser('application/json', parserOptions, parse);
  fastify.addContentTypeParser(/^application\/[^;\s]+\+json$/, parserOptions, parse);
}

function answerProblems(fastify: FastifyInstance): void {
  fastify.setErrorHandler((error: unknown, _request: FastifyRequest, reply: FastifyReply) => {
    const problem = asRequestError(error);
    // Anything else goes on to the handler set before this one (Fastify's default at the root).
    if (problem === undefined) throw error;
    // A Buffer, so Fastify adds no charset to the problem+json type (RFC 9457 §3 has none).
    return reply.code(problem.status).headers(problem.headers).send(Buffer.from(problem.body));
  });
}

// Fastify parses text/plain bodies itself: a route whose body schema is a Standard Schema takes JSON
// only, as on every other host (415 otherwise).
function requireJsonBodies(fastify: FastifyInstance): void {
  fastify.addHook('preValidation', (request, _reply, done) => {
    const schema = (request.routeOptions.schema as { body?: unknown } | undefined)?.body;
    if (!isStandardSchema(schema)) return done();
    const contentType = request.headers['content-type'];
    if (request.body === undefined || (contentType !== undefined && isJsonMediaType(contentType))) {
      return done();
    }
    done(
      new RequestBodyError(
        'UNSUPPORTED_MEDIA_TYPE',
        'The request body must be application/json (UTF-8); send it with that Content-Type.',
      ),
    );
  });
}

// Async, so an error while registering (FST_ERR_ERROR_HANDLER_ALREADY_SET ...) rejects the register()
// instead of leaving it to time out.
const plugin: FastifyPluginAsync<FastifyValidationOptions> = async (fastify, options) => {
  fastify.setValidatorCompiler(validatorCompiler(options));
  fastify.setSerializerCompiler(serializerCompiler());
  installJsonParser(fastify, options);
  // Fastify keeps one error handler a scope (a second one is warning FSTWRN004, an error under
  // allowErrorHandlerOverride: false): with forwardErrors the app's handler answers our errors.
  if (options.forwardErrors !== true) answerProblems(fastify);
  requireJsonBodies(fastify);
};

/**
 * The Fastify plugin: Standard Schemas in route `schema`s, the safe JSON body parser (size, depth,
 * `__proto__` keys, strict UTF-8) and problem+json answers for validation and body errors. With
 * `forwardErrors: true` it installs no error handler: the errors (http-errors shape) reach the app's own,
 * such as @plinth/observability's `errorHandler()` registered in the same scope.
 *
 * @example
 * await fastify.register(validation, { status: 422 });
 * fastify.post('/users', { schema: { body: CreateUser, response: { 201: UserOut } } }, async (request, reply) =>
 *   reply.code(201).send(await users.create(request.body)),
 * );
 */
export const validation = Object.assign(plugin, {
  [Symbol.for('skip-override')]: true,
  [Symbol.for('fastify.display-name')]: '@plinth/validation',
});
