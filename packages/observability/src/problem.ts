// One conversion from anything thrown to an RFC 9457 `application/problem+json` response, by the
// http-errors convention every Plinth package shares: an integer `status` (or `statusCode`) 400–599,
// `expose`, `code`, `headers`, `title`, `detail` and `errors`; anything else is a 500.
import { type FieldError, HttpError, isHttpError } from './http-error.js';
import { defaultCode, statusTitle } from './status.js';
import { isIssueList, issuesToFieldErrors } from './validation-issues.js';

/** The media type of RFC 9457 problem details (sent exactly so, without a charset parameter). */
export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** An RFC 9457 problem details object, with the `code`, `errors`, `requestId` and `traceId` members. */
export interface ProblemDetails {
  /** RFC 9457 §3.1.1: a URI identifying the problem type; `about:blank` when it is just the status. */
  type: string;
  /** RFC 9457 §3.1.3: a short summary of the problem type (the RFC 9110 reason phrase by default). */
  title: string;
  /** RFC 9457 §3.1.2: the HTTP status. */
  status: number;
  /** RFC 9457 §3.1.4: an explanation of this occurrence, safe for the client (exposed errors only). */
  detail?: string;
  /** Stable machine code the client can branch on; `defaultCode(status)` for unexposed errors. */
  code: string;
  /** Field-level errors (exposed errors only). */
  errors?: FieldError[];
  /** RFC 9457 §3.1.5: a URI reference for this occurrence (the request path). */
  instance?: string;
  /** Request id of the request. */
  requestId?: string;
  /** W3C trace id of the request, to quote in a bug report. */
  traceId?: string;
  [extension: string]: unknown;
}

/** How anything thrown is read as an HTTP error. */
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
  /** The error the problem was built from, read as an {@link HttpError}. */
  error: HttpError;
}

const reservedMembers = new Set([
  'type',
  'title',
  'status',
  'detail',
  'code',
  'errors',
  'instance',
  'requestId',
  'traceId',
]);

/**
 * Reads anything thrown as an {@link HttpError}: ours as they are, Standard Schema issues (ZodError, a
 * `{ issues }` result) as 422 `VALIDATION_FAILED`, any other error of the convention (http-errors,
 * @plinth/http, another package) by its fields, and the rest as a 500 that exposes nothing.
 */
export function toHttpError(error: unknown, options: ToHttpErrorOptions = {}): HttpError {
  if (isHttpError(error)) return error;
  if (typeof error !== 'object' || error === null) return internalError(error);
  const candidate = error as Record<string, unknown>;
  const status = httpStatus(candidate);
  // A validation error of the convention (status, `errors` with pointers rooted at the request part,
  // plus the raw `issues`) is answered by its own fields; bare issues (a ZodError) get ours.
  if (isIssueList(candidate.issues) && !(status !== undefined && Array.isArray(candidate.errors))) {
    const issueStatus = status === 400 || status === 422 ? status : options.validationStatus;
    return validationError(issuesToFieldErrors(candidate.issues), error, issueStatus);
  }
  if (status === undefined) return internalError(error);
  return conventionError(candidate, status);
}

/** The status an error answers with (what {@link toHttpError} would give), without building anything. */
export function statusOf(error: unknown): number {
  if (isHttpError(error)) return error.status;
  if (typeof error !== 'object' || error === null) return 500;
  const candidate = error as Record<string, unknown>;
  const status = httpStatus(candidate);
  if (isIssueList(candidate.issues) && status !== 400) return status === undefined ? 422 : status;
  return status ?? 500;
}

/** The status of an error of the convention: an integer `status` or `statusCode` in 400–599. */
export function httpStatus(candidate: Record<string, unknown>): number | undefined {
  return errorStatus(candidate.status) ?? errorStatus(candidate.statusCode);
}

/** The 422 (or 400) `VALIDATION_FAILED` error for field errors found by a schema. */
export function validationError(errors: FieldError[], cause: unknown, status: 400 | 422 = 422): HttpError {
  return new HttpError(status, 'The request is invalid.', { code: 'VALIDATION_FAILED', errors, cause });
}

/** Builds the RFC 9457 problem for anything thrown; unexposed errors carry nothing but their status. */
export function toProblem(error: unknown, options: ProblemOptions = {}): Problem {
  const httpError = toHttpError(error, options);
  const { status, expose } = httpError;
  // SEAMS §B: an unexposed error's code on the wire is defaultCode(status), so a 500 never leaks ECONNREFUSED.
  const code = expose ? httpError.code : defaultCode(status);
  // RFC 9457 §3.1.1: "type" defaults to "about:blank"; §4.2.1: then the title SHOULD be the status phrase.
  const type = (expose ? httpError.type : undefined) ?? problemType(code, options.typeBase);
  const title = (expose ? httpError.title : undefined) ?? statusTitle(status);
  const detail = expose ? (httpError.detail ?? (httpError.message || undefined)) : undefined;
  // Members in the order every Plinth package writes them (SEAMS §B).
  const body: ProblemDetails =
    detail === undefined ? { type, title, status, code } : { type, title, status, detail, code };
  if (expose && httpError.errors.length > 0) body.errors = [...httpError.errors];
  if (options.instance !== undefined) body.instance = options.instance;
  if (options.requestId !== undefined) body.requestId = options.requestId;
  if (options.traceId !== undefined) body.traceId = options.traceId;
  if (expose) {
    for (const [name, value] of Object.entries(httpError.extensions)) {
      if (!reservedMembers.has(name)) body[name] = value;
    }
  }
  return { status, headers: responseHeaders(httpError.headers), body, error: httpError };
}

/** What goes on the wire for a problem: its JSON text and its headers, `Content-Length` included. */
export function renderProblem(problem: Problem): { payload: string; headers: Record<string, string> } {
  const payload = JSON.stringify(problem.body);
  return {
    payload,
    headers: { ...problem.headers, 'content-length': String(Buffer.byteLength(payload)) },
  };
}

/**
 * A fetch `Response` carrying the problem for `error`.
 * @example
 * return problemResponse(new NotFoundError('No such order'), { instance: url.pathname });
 */
export function problemResponse(error: unknown, options: ProblemOptions = {}): Response {
  const problem = toProblem(error, options);
  const { payload, headers } = renderProblem(problem);
  return new Response(payload, { status: problem.status, headers });
}

// An error of the convention made elsewhere (http-errors, @plinth/http, another package): its own fields
// count only when it is exposed, its headers always (Allow, Retry-After, WWW-Authenticate).
function conventionError(candidate: Record<string, unknown>, status: number): HttpError {
  const expose = typeof candidate.expose === 'boolean' ? candidate.expose : status < 500;
  const message = typeof candidate.message === 'string' ? candidate.message : '';
  const headers = stringHeaders(candidate.headers);
  if (!expose) return new HttpError(status, message, { expose, headers, cause: candidate });
  return new HttpError(status, message, {
    expose,
    headers,
    cause: candidate,
    ...stringMember(candidate, 'code'),
    ...stringMember(candidate, 'title'),
    ...stringMember(candidate, 'type'),
    ...stringMember(candidate, 'detail'),
    ...(Array.isArray(candidate.errors) ? { errors: fieldErrors(candidate.errors) } : {}),
  });
}

function internalError(cause: unknown): HttpError {
  return new HttpError(500, cause instanceof Error ? cause.message : 'Internal Server Error', {
    cause,
    expose: false,
  });
}

function errorStatus(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value >= 400 && value <= 599
    ? value
    : undefined;
}

function stringMember<K extends string>(candidate: Record<string, unknown>, name: K): { [P in K]?: string } {
  const value = candidate[name];
  return (typeof value === 'string' ? { [name]: value } : {}) as { [P in K]?: string };
}

// Items of the convention's `errors`: `{ pointer?, message, code? }`; anything without a message is dropped.
function fieldErrors(items: readonly unknown[]): FieldError[] {
  const errors: FieldError[] = [];
  for (const item of items) {
    if (typeof item !== 'object' || item === null) continue;
    const { pointer, message, code } = item as Record<string, unknown>;
    if (typeof message !== 'string') continue;
    const fieldError: FieldError = { message };
    if (typeof pointer === 'string') fieldError.pointer = pointer;
    if (typeof code === 'string') fieldError.code = code;
    errors.push(fieldError);
  }
  return errors;
}

// The error's own headers, lower-cased, string values only; content-type and content-length are ours.
function responseHeaders(headers: unknown): Record<string, string> {
  const result = stringHeaders(headers);
  result['content-type'] = PROBLEM_CONTENT_TYPE;
  return result;
}

function stringHeaders(value: unknown): Record<string, string> {
  const headers: Record<string, string> = {};
  if (typeof value !== 'object' || value === null) return headers;
  for (const [name, header] of Object.entries(value)) {
    const lower = name.toLowerCase();
    if (typeof header === 'string' && lower !== 'content-type' && lower !== 'content-length') {
      headers[lower] = header;
    }
  }
  return headers;
}

function problemType(code: string, typeBase: string | undefined): string {
  if (typeBase === undefined) return 'about:blank';
  return `${typeBase}${code.toLowerCase().replaceAll('_', '-')}`;
}
