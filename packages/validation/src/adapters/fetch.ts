// Fetch-style middleware (SEAMS §A): validates a route's params, query, headers and JSON body against its
// schema, keeps the typed result under `ctx.state.validated`, and answers failures as problem+json.

import { readWebBody } from '../body.js';
import { parseQuery } from '../coercion.js';
import { ValidationError } from '../errors.js';
import { readJsonBody } from '../json-body.js';
import type { Middleware, MiddlewareContext, Next } from '../middleware-context.js';
import { matchPathParams } from '../path-params.js';
import { isRequestError, renderProblem } from '../problem.js';
import type { RouteSchema, ValidatedInput } from '../route-schema.js';
import { createRouteValidator, type RouteValidator, type ValidationOptions } from '../route-validator.js';

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
  readonly body?: { bytes?(options: { limit: number }): Promise<Uint8Array> };
}

function queryOf(ctx: RichContext): URLSearchParams {
  const url = 'url' in ctx && ctx.url instanceof URL ? ctx.url : new URL(ctx.request.url);
  return url.searchParams;
}

function bodyOf(ctx: RichContext, validator: RouteValidator): Promise<unknown> {
  // @plinth/http's ctx.body reads node's stream directly; a web stream over it costs more per
  // request (bench "HTTP POST /orders"). Its 413 is an http-errors-convention error too.
  const bytes = ctx.body?.bytes?.bind(ctx.body);
  const read =
    bytes !== undefined
      ? (maxBytes: number) => bytes({ limit: maxBytes })
      : (maxBytes: number) => readWebBody(ctx.request.body, maxBytes);
  return readJsonBody(
    {
      contentType: ctx.header('content-type'),
      contentLength: ctx.header('content-length'),
      transferEncoding: ctx.header('transfer-encoding'),
    },
    read,
    validator.limits,
  );
}

function answer(error: unknown): Response {
  if (!isRequestError(error)) throw error;
  const problem = renderProblem(error);
  return new Response(problem.body, { status: problem.status, headers: problem.headers });
}

function validateParts(
  ctx: RichContext,
  validator: RouteValidator,
  body: unknown,
  next: Next,
): Promise<Response> {
  const { schema } = validator;
  const store = (input: unknown) => {
    (ctx.state as Record<string, unknown>)[stateKey] = input;
    return next();
  };
  let input: unknown;
  try {
    input = validator.validate({
      params: schema.params && (ctx.params ?? matchPathParams(ctx.routePath, ctx.path)),
      querystring: schema.querystring && parseQuery(queryOf(ctx)),
      headers: (name) => ctx.header(name),
      body,
    });
  } catch (error) {
    return Promise.reject(error).catch(answer);
  }
  return input instanceof Promise ? input.then(store, answer) : store(input);
}

/**
 * Validates one request with a compiled route validator, storing the result in `ctx.state`. Promise
 * chains rather than `await`: a synchronous schema costs no extra turn (bench "HTTP POST /orders").
 */
function run(ctx: RichContext, validator: RouteValidator, next: Next): Promise<Response> {
  if (!validator.hasBody) return validateParts(ctx, validator, undefined, next);
  return bodyOf(ctx, validator).then((body) => validateParts(ctx, validator, body, next), answer);
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
