// Fetch-style middleware (SEAMS §A): validates a route's params, query, headers and JSON body against its
// schema, keeps the typed result under `ctx.state.validated`, and throws failures (RequestValidationError,
// RequestBodyError: the http-errors shape) for the app's error handler to answer as problem+json.

import { readWebBody } from '../body.js';
import { parseQuery } from '../coercion.js';
import { ValidationError } from '../errors.js';
import { type BodyHeaders, checkBodyHeaders, parseBodyBytes } from '../json-body.js';
import type { Middleware, MiddlewareContext, Next } from '../middleware-context.js';
import { matchPathParams } from '../path-params.js';
import type { RouteSchema, ValidatedInput } from '../route-schema.js';
import {
  createRouteValidator,
  type OwnedRawRequest,
  ownedBody,
  type RouteValidator,
  type ValidationOptions,
} from '../route-validator.js';

/** The state key this package writes: `ctx.state.validated`. */
export const stateKey = 'validated';

/** Middleware for one route, with a typed accessor of what it validated. */
export interface ValidationMiddleware<Schema extends RouteSchema> extends Middleware {
  /** The validated input of this request (`ctx.state.validated`), typed by the route's schema. */
  input(ctx: { readonly state: object }): ValidatedInput<Schema>;
}

// What @plinth/http's Context adds to the shared shape, used when present (no Request is built).
interface RichContext extends MiddlewareContext {
  readonly params?: Readonly<Record<string, string>>;
  readonly url?: URL;
  readonly route?: { readonly meta?: { readonly schema?: unknown } };
  readonly body?: { bytes?(options: { readonly limit: number }): Promise<Uint8Array> };
}

function queryOf(ctx: RichContext): URLSearchParams {
  const url = 'url' in ctx && ctx.url instanceof URL ? ctx.url : new URL(ctx.request.url);
  return url.searchParams;
}

function bodyHeaders(ctx: RichContext): BodyHeaders {
  return {
    contentType: ctx.header('content-type'),
    contentLength: ctx.header('content-length'),
    transferEncoding: ctx.header('transfer-encoding'),
  };
}

function readBytes(ctx: RichContext, validator: RouteValidator): Promise<Uint8Array> {
  // @plinth/http's ctx.body reads node's stream directly; a web stream over it costs more per
  // request (bench "HTTP POST /orders"). Its 413 is an http-errors-convention error too.
  const body = ctx.body;
  if (typeof body?.bytes === 'function') return body.bytes({ limit: validator.limits.maxBytes });
  return readWebBody(ctx.request.body, validator.limits.maxBytes);
}

// What the route declares, read from the context; parts it does not declare are not read. The body,
// parsed here, is nobody else's: its validated value may be the parsed value itself.
function rawRequest(ctx: RichContext, schema: RouteSchema, body: unknown): OwnedRawRequest {
  return {
    params: schema.params && (ctx.params ?? matchPathParams(ctx.routePath, ctx.path)),
    querystring: schema.querystring && parseQuery(queryOf(ctx)),
    headers: schema.headers && ((name) => ctx.header(name)),
    body,
    [ownedBody]: true,
  };
}

/**
 * Validates one request with a compiled route validator, storing the result in `ctx.state`. One
 * async frame and no closures per request: a synchronous schema costs no extra turn, a body one
 * await (bench "HTTP POST /orders").
 */
async function run(ctx: RichContext, validator: RouteValidator, next: Next): Promise<Response> {
  let body: unknown;
  if (validator.hasBody) {
    const headers = bodyHeaders(ctx);
    const declared = checkBodyHeaders(headers, validator.limits);
    if (declared !== false) {
      body = parseBodyBytes(await readBytes(ctx, validator), headers, declared, validator.limits);
    }
  }
  let input = validator.validate(rawRequest(ctx, validator.schema, body));
  if (input instanceof Promise) input = await input;
  (ctx.state as Record<string, unknown>)[stateKey] = input;
  return next();
}

function readInput<Schema extends RouteSchema>(ctx: { readonly state: object }): ValidatedInput<Schema> {
  const input = (ctx.state as Record<string, unknown>)[stateKey];
  if (input === undefined) {
    throw new ValidationError(
      'ERR_VALIDATION_NOT_VALIDATED',
      'No validated input on this request: add the validation middleware to the route before reading it.',
    );
  }
  return input as ValidatedInput<Schema>;
}

/**
 * Middleware validating a route against its schema; read the typed result with `.input(ctx)`.
 *
 * @example
 * const createUser = validate({ body: z.object({ name: z.string() }) });
 * app.post('/users', { middleware: [createUser] }, (ctx) => json(createUser.input(ctx).body, { status: 201 }));
 */
export function validate<const Schema extends RouteSchema>(
  schema: Schema,
  options: ValidationOptions = {},
): ValidationMiddleware<Schema> {
  const validator = createRouteValidator(schema, options);
  const middleware = (ctx: MiddlewareContext, next: () => Promise<Response>) => run(ctx, validator, next);
  return Object.assign(middleware, { input: readInput<Schema> });
}

/**
 * Middleware for a whole app: validates each route against the schema its metadata declares
 * (`{ meta: { schema } }`, the one route declaration); routes without one pass through.
 *
 * @example
 * app.use(validateRoutes());
 * app.get('/users/:id', { meta: { schema: { params: z.object({ id: z.number() }) } } }, (ctx) =>
 *   json(validatedInput<{ params: typeof Params }>(ctx).params),
 * );
 */
export function validateRoutes(options: ValidationOptions = {}): Middleware {
  const validators = new WeakMap<object, RouteValidator>();
  return (ctx, next) => {
    const schema = (ctx as RichContext).route?.meta?.schema;
    if (typeof schema !== 'object' || schema === null) return next();
    let validator = validators.get(schema);
    if (validator === undefined) {
      validator = createRouteValidator(schema as RouteSchema, options);
      validators.set(schema, validator);
    }
    return run(ctx as RichContext, validator, next);
  };
}

/** The validated input of a request (`ctx.state.validated`), typed by the route schema you name. */
export function validatedInput<Schema extends RouteSchema>(ctx: {
  readonly state: object;
}): ValidatedInput<Schema> {
  return readInput<Schema>(ctx);
}
