// One conversion from anything thrown to an RFC 9457 `application/problem+json` response.
import { type FieldError, HttpError, isHttpError, statusTitle } from './http-error.js';
import { ajvToFieldErrors, isIssueList, issuesToFieldErrors } from './validation-issues.js';

/** The media type of RFC 9457 problem details. */
export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** An RFC 9457 problem details object, with this package's `code`, `errors`, `traceId` and `requestId` members. */
export interface ProblemDetails {
  /** RFC 9457 §3.1.1: a URI identifying the problem type; `about:blank` when it is just the status. */
  type: string;
  /** RFC 9457 §3.1.3: a short summary of the problem type. */
  title: string;
  /** RFC 9457 §3.1.2: the HTTP status. */
  status: number;
  /** RFC 9457 §3.1.4: an explanation of this occurrence, safe for the client. */
  detail?: string;
  /** RFC 9457 §3.1.5: a URI reference for this occurrence (the request path). */
  instance?: string;
  /** Stable machine code of the error. */
  code: string;
  /** Field-level errors. */
  errors?: FieldError[];
  /** W3C trace id of the request, to quote in a bug report. */
  traceId?: string;
  /** Request id of the request. */
  requestId?: string;
  [extension: string]: unknown;
}

/** How {@link toHttpError} reads errors it does not own. */
export interface ToHttpErrorOptions {
  /** Status for Standard Schema validation issues: 422 (default) or 400. */
  validationStatus?: 400 | 422;
}

/** Options of {@link toProblem} and {@link problemResponse}. */
export interface ProblemOptions extends ToHttpErrorOptions {
  /** RFC 9457 `instance`, usually the request path. */
  instance?: string;
  /** Trace id to include as `traceId`. */
  traceId?: string;
  /** Request id to include as `requestId`. */
  requestId?: string;
  /** Base URI for `type`: `https://errors.example.com/` gives `https://errors.example.com/not-found`. Default: `about:blank`. */
  typeBase?: string;
}

/** A problem ready to send: status, headers (content type included) and body. */
export interface Problem {
  status: number;
  headers: Record<string, string>;
  body: ProblemDetails;
  /** The error the problem was built from, after {@link toHttpError}. */
  error: HttpError;
}

const reservedMembers = new Set([
  'type',
  'title',
  'status',
  'detail',
  'instance',
  'code',
  'errors',
  'traceId',
  'requestId',
]);

/**
 * Reads anything thrown as an {@link HttpError}: our errors as they are, Standard Schema issues as 422
 * (or 400), foreign HTTP errors (http-errors, body-parser, Fastify) by shape, and the rest as a 500 that
 * exposes nothing.
 */
export function toHttpError(error: unknown, options: ToHttpErrorOptions = {}): HttpError {
  if (isHttpError(error)) return error;
  if (typeof error !== 'object' || error === null) return internalError(error);
  const candidate = error as Record<string, unknown>;

  // Standard Schema: a `{ issues }` failure result or an error carrying them (ZodError, ValiError).
  if (isIssueList(candidate.issues)) {
    const status = options.validationStatus ?? 422;
    return new HttpError(status, 'The request is invalid.', {
      code: 'VALIDATION_FAILED',
      errors: issuesToFieldErrors(candidate.issues),
      cause: error,
    });
  }

  const status = numericStatus(candidate.status) ?? numericStatus(candidate.statusCode);
  const fastifyCode = typeof candidate.code === 'string' && candidate.code.startsWith('FST_');
  // http-errors and body-parser say what is safe with `expose`; Fastify's own errors are 4xx-safe by design.
  if (status === undefined || (typeof candidate.expose !== 'boolean' && !fastifyCode))
    return internalError(error);
  const expose = typeof candidate.expose === 'boolean' ? candidate.expose : status < 500;
  const message = typeof candidate.message === 'string' ? candidate.message : undefined;
  return new HttpError(status, message, {
    expose,
    cause: error,
    ...(expose && typeof candidate.code === 'string' ? { code: candidate.code } : {}),
    ...(expose && Array.isArray(candidate.validation)
      ? { errors: ajvToFieldErrors(candidate.validation) }
      : {}),
    ...(expose ? { headers: stringHeaders(candidate.headers) } : {}),
  });
}

/** Builds the RFC 9457 problem for anything thrown; 5xx bodies never carry the error's internals. */
export function toProblem(error: unknown, options: ProblemOptions = {}): Problem {
  const httpError = toHttpError(error, options);
  const body: ProblemDetails = {
    type: httpError.type ?? problemType(httpError.code, options.typeBase),
    // RFC 9457 §4.2.1: with "about:blank" the title SHOULD be the status phrase.
    title: httpError.title ?? statusTitle(httpError.status),
    status: httpError.status,
    code: httpError.code,
  };
  const detail = httpError.publicMessage ?? (httpError.expose ? httpError.message : undefined);
  if (detail !== undefined) body.detail = detail;
  if (options.instance !== undefined) body.instance = options.instance;
  if (httpError.expose) {
    if (httpError.errors.length > 0) body.errors = [...httpError.errors];
    for (const [name, value] of Object.entries(httpError.extensions)) {
      if (!reservedMembers.has(name)) body[name] = value;
    }
  }
  if (options.traceId !== undefined) body.traceId = options.traceId;
  if (options.requestId !== undefined) body.requestId = options.requestId;
  return {
    status: httpError.status,
    headers: { ...lowerCaseKeys(httpError.headers), 'content-type': PROBLEM_CONTENT_TYPE },
    body,
    error: httpError,
  };
}

/**
 * A fetch `Response` carrying the problem for `error`.
 * @example
 * return problemResponse(new NotFoundError('No such order'), { instance: url.pathname });
 */
export function problemResponse(error: unknown, options: ProblemOptions = {}): Response {
  const problem = toProblem(error, options);
  return new Response(JSON.stringify(problem.body), { status: problem.status, headers: problem.headers });
}

function internalError(cause: unknown): HttpError {
  return new HttpError(500, cause instanceof Error ? cause.message : 'Internal Server Error', {
    cause,
    expose: false,
  });
}

function numericStatus(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value >= 400 && value <= 599
    ? value
    : undefined;
}

function lowerCaseKeys(headers: Record<string, string>): Record<string, string> {
  const lower: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) lower[name.toLowerCase()] = value;
  return lower;
}

function stringHeaders(value: unknown): Record<string, string> {
  const headers: Record<string, string> = {};
  if (typeof value !== 'object' || value === null) return headers;
  for (const [name, header] of Object.entries(value)) {
    if (typeof header === 'string') headers[name.toLowerCase()] = header;
  }
  return headers;
}

function problemType(code: string, typeBase: string | undefined): string {
  if (typeBase === undefined) return 'about:blank';
  return `${typeBase}${code.toLowerCase().replaceAll('_', '-')}`;
}
