// Express middleware per route: validates req.params, req.query, req.headers and the JSON body (read here
// with the package's limits, or taken from express.json() and re-checked), keeps the typed result in
// `res.locals.validated`, and answers failures as problem+json (or hands them to next() with forwardErrors).
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { readNodeBody } from '../body.js';
import { ValidationError } from '../errors.js';
import { readJsonBody } from '../json-body.js';
import { isRequestError, renderProblem } from '../problem.js';
import type { RouteSchema, ValidatedInput } from '../route-schema.js';
import {
  createRouteValidator,
  type ForwardErrorsOption,
  type OwnedRawRequest,
  ownedBody,
  type RouteValidator,
  type ValidationOptions,
} from '../route-validator.js';
import { assertSafeValue } from '../safe-json.js';

/** Express middleware for one route, with a typed accessor of what it validated. */
export interface ExpressValidationMiddleware<Schema extends RouteSchema> extends RequestHandler {
  /** The validated input of this request (`res.locals.validated`), typed by the route's schema. */
  input(res: Response): ValidatedInput<Schema>;
}

function header(req: Request, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

async function bodyOf(req: Request, validator: RouteValidator): Promise<unknown> {
  // Parsed already (express.json()): its value gets the same key and depth checks as ours.
  if (req.body !== undefined) {
    assertSafeValue(req.body, validator.limits);
    return req.body;
  }
  return readJsonBody(
    {
      contentType: header(req, 'content-type'),
      contentLength: header(req, 'content-length'),
      transferEncoding: header(req, 'transfer-encoding'),
    },
    (maxBytes) => readNodeBody(req, maxBytes),
    validator.limits,
  );
}

async function run(req: Request, res: Response, validator: RouteValidator): Promise<void> {
  const { schema } = validator;
  const raw: OwnedRawRequest = {
    params: req.params,
    querystring: schema.querystring && (req.query as Record<string, unknown>),
    headers: req.headers,
    body: validator.hasBody ? await bodyOf(req, validator) : undefined,
    // Read here (no express.json() before us): nobody else holds it. req.body of a parser stays apart.
    [ownedBody]: validator.hasBody && req.body === undefined,
  };
  res.locals.validated = await validator.validate(raw);
}

/** Options of the Express {@link validate}: the route validation options and `forwardErrors`. */
export type ExpressValidationOptions = ValidationOptions & ForwardErrorsOption;

function fail(res: Response, next: NextFunction, error: unknown, forward: boolean | undefined): void {
  if (forward === true || !isRequestError(error) || res.headersSent) {
    next(error);
    return;
  }
  const problem = renderProblem(error);
  res.status(problem.status).set(problem.headers).end(problem.body);
}

/** The validated input of a request (`res.locals.validated`), typed by the route schema you name. */
export function validatedInput<Schema extends RouteSchema>(res: Response): ValidatedInput<Schema> {
  const input = res.locals.validated;
  if (input === undefined) {
    throw new ValidationError(
      'ERR_VALIDATION_NOT_VALIDATED',
      'No validated input on this request: put validate(schema) before the handler of the route.',
    );
  }
  return input as ValidatedInput<Schema>;
}

/**
 * Express middleware validating one route against its schema. A failure answers 400/413/415
 * problem+json, or reaches the app's error handler through `next(error)` with `forwardErrors: true`.
 *
 * @example
 * const createUser = validate({ body: z.object({ name: z.string() }) });
 * app.post('/users', createUser, (req, res) => {
 *   res.status(201).json(createUser.input(res).body);
 * });
 */
export function validate<const Schema extends RouteSchema>(
  schema: Schema,
  options: ExpressValidationOptions = {},
): ExpressValidationMiddleware<Schema> {
  const validator = createRouteValidator(schema, options);
  const middleware: RequestHandler = (req, res, next) => {
    run(req, res, validator).then(
      () => next(),
      (error: unknown) => fail(res, next, error, options.forwardErrors),
    );
  };
  return Object.assign(middleware, { input: validatedInput<Schema> });
}
