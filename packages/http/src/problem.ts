// RFC 9457 problem details: the body every error leaves with. Any error of the http-errors convention
// (`status` or `statusCode` 400–599, `expose`, `code`, `headers`, `title`, `detail`, `errors`) is
// answered with its own status, whichever package or library threw it; anything else is a bare 500.
import { text } from './response.js';
import { defaultCode, statusTitle } from './status.js';

/** The members of an RFC 9457 problem; extension members are allowed beside them. */
export interface ProblemDetails {
  /** A URI naming the problem type; RFC 9457 §3.1.1: "about:blank" when absent. */
  type?: string;
  /** A short summary; defaults to the status reason phrase. */
  title?: string;
  /** An explanation of this occurrence, safe for the client to read. */
  detail?: string;
  /** A URI for this occurrence. */
  instance?: string;
  /** A machine-readable code; defaults to the title in upper snake case (`NOT_FOUND`). */
  code?: string;
  /** Per-field errors, e.g. from validation: `{ pointer, message, code }`. */
  errors?: ProblemFieldError[];
  [extension: string]: unknown;
}

/** One entry of a problem's `errors` member. */
export interface ProblemFieldError {
  /** RFC 6901 JSON pointer into the request, e.g. `/email`. */
  pointer?: string;
  message: string;
  code?: string;
}

const encoder = new TextEncoder();

/**
 * An `application/problem+json` response with `Content-Length`.
 *
 * @example
 * return problem(409, { detail: 'This e-mail address is already registered.', code: 'EMAIL_TAKEN' });
 */
export function problem(
  status: number,
  details: ProblemDetails = {},
  headers?: Record<string, string>,
): Response {
  const { type, title, detail, code, errors, ...extensions } = details;
  const body: ProblemDetails = { type: type ?? 'about:blank', title: title ?? statusTitle(status), status };
  if (detail !== undefined) body.detail = detail;
  body.code = code ?? defaultCode(status);
  if (errors !== undefined) body.errors = errors;
  Object.assign(body, extensions);
  const serialized = JSON.stringify(body);
  return text(serialized, {
    status,
    headers: {
      ...headers,
      // RFC 9457 §3: the media type, without a charset parameter (JSON is UTF-8 by definition).
      'content-type': 'application/problem+json',
      'content-length': String(encoder.encode(serialized).byteLength),
    },
  });
}

/** The convention's fields of a thrown value, or undefined when it is not an HTTP error. */
export interface HttpErrorFields {
  status: number;
  expose: boolean;
  headers: Record<string, string>;
  details: ProblemDetails;
}

function statusOf(error: object): number | undefined {
  const { status, statusCode } = error as { status?: unknown; statusCode?: unknown };
  const value = typeof status === 'number' ? status : statusCode;
  return typeof value === 'number' && Number.isInteger(value) && value >= 400 && value <= 599
    ? value
    : undefined;
}

function fieldErrors(value: unknown): ProblemFieldError[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const out: ProblemFieldError[] = [];
  for (const item of value) {
    if (item === null || typeof item !== 'object') continue;
    const { pointer, message, code } = item as Record<string, unknown>;
    if (typeof message !== 'string') continue;
    const entry: ProblemFieldError = { message };
    if (typeof pointer === 'string') entry.pointer = pointer;
    if (typeof code === 'string') entry.code = code;
    out.push(entry);
  }
  return out;
}

/** Reads an error of the http-errors convention; `undefined` for anything else (a 500). */
export function httpErrorFields(error: unknown): HttpErrorFields | undefined {
  if (error === null || typeof error !== 'object') return undefined;
  const status = statusOf(error);
  if (status === undefined) return undefined;
  const source = error as Record<string, unknown>;
  const expose = typeof source.expose === 'boolean' ? source.expose : status < 500;
  const details: ProblemDetails = {};
  if (expose) {
    if (typeof source.type === 'string') details.type = source.type;
    if (typeof source.title === 'string') details.title = source.title;
    if (typeof source.detail === 'string') details.detail = source.detail;
    else if (typeof source.message === 'string' && source.message !== '') details.detail = source.message;
    if (typeof source.code === 'string') details.code = source.code;
    const errors = fieldErrors(source.errors);
    if (errors !== undefined) details.errors = errors;
  }
  const headers: Record<string, string> = {};
  if (source.headers !== null && typeof source.headers === 'object') {
    for (const [name, value] of Object.entries(source.headers)) {
      const lower = name.toLowerCase();
      // We set these two from the body we write.
      if (typeof value === 'string' && lower !== 'content-type' && lower !== 'content-length') {
        headers[lower] = value;
      }
    }
  }
  return { status, expose, headers, details };
}

/**
 * The problem response for any thrown value: an error of the http-errors convention (this package's
 * `HttpError`, http-errors, Fastify's, another Plinth package's) keeps its status and headers, and its
 * message, code and title only when `expose` is true; anything else is a 500 that says nothing about
 * the internals.
 */
export function problemFromError(error: unknown): Response {
  const fields = httpErrorFields(error);
  if (fields === undefined) return problem(500);
  return problem(fields.status, fields.details, fields.headers);
}
