// The errors @plinth/validation throws: `ValidationError` for mistakes in code (a `code` that narrows in
// a `switch`), and two HTTP errors (status, expose, wire code) for bad requests, recognisable by shape.
import type { StandardSchemaV1 } from './standard-schema.js';

/** Every programming-error code this package can throw; each is listed in the README. */
export type ValidationErrorCode =
  | 'ERR_VALIDATION_INVALID_OPTION'
  | 'ERR_VALIDATION_NOT_A_SCHEMA'
  | 'ERR_VALIDATION_OUTPUT_MISMATCH'
  | 'ERR_VALIDATION_ASYNC_SCHEMA'
  | 'ERR_VALIDATION_UNSUPPORTED_SCHEMA'
  | 'ERR_VALIDATION_NOT_VALIDATED';

/** The base class of the errors a developer fixes in code; over HTTP they are a bare 500. */
export class ValidationError extends Error {
  /** A stable, unique code: `ERR_VALIDATION_<WHAT>`. */
  readonly code: ValidationErrorCode;
  /** Always 500: a server-side mistake, never exposed to the client. */
  readonly status = 500;
  /** The same status under the other http-errors name (Fastify turns a validator error without it into a 400). */
  readonly statusCode = 500;
  /** Never exposed: the client sees only "Internal Server Error". */
  readonly expose = false;

  constructor(code: ValidationErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ValidationError';
    this.code = code;
  }
}

/** One entry of a problem's `errors[]`: an RFC 6901 pointer rooted at the request part. */
export interface FieldError {
  /** E.g. `/body/items/3/qty`, `/querystring/page`, `/headers/x-tenant-id`. */
  pointer: string;
  /** What is wrong, never quoting the value of a sensitive field. */
  message: string;
  /** The validator's issue code (`too_small`, `invalid_type` ...), else `invalid`. */
  code: string;
}

/** Options of a {@link RequestValidationError}. */
export interface RequestValidationErrorOptions {
  /** 400 (the default) or 422. */
  status?: 400 | 422;
  /** The Standard Schema issues, with their paths rooted at the request part. */
  issues?: readonly StandardSchemaV1.Issue[];
}

/**
 * A request that failed its schema: status 400 (or 422), `code: 'VALIDATION_FAILED'`, `errors[]` and
 * the Standard Schema `issues`, so any http-errors-convention handler answers it as problem+json.
 */
export class RequestValidationError extends Error {
  /** 400 by default, 422 when the route opts in. */
  readonly status: 400 | 422;
  /** The same status under the other http-errors name (Fastify reads and writes this one). */
  statusCode: number;
  /** Safe to show the client. */
  readonly expose = true;
  /** The wire code every Plinth package uses for a schema failure. */
  readonly code = 'VALIDATION_FAILED';
  /** One line for the problem's `detail`. */
  readonly detail: string;
  /** One entry per issue, pointers rooted at the request part. */
  readonly errors: FieldError[];
  /** The Standard Schema issues (values of sensitive fields removed). */
  readonly issues: readonly StandardSchemaV1.Issue[];

  constructor(errors: FieldError[], options: RequestValidationErrorOptions = {}) {
    const detail = summarize(errors);
    super(detail);
    this.name = 'RequestValidationError';
    this.status = options.status ?? 400;
    this.statusCode = this.status;
    this.detail = detail;
    this.errors = errors;
    this.issues = options.issues ?? [];
  }
}

function summarize(errors: readonly FieldError[]): string {
  const first = errors[0];
  if (first === undefined) return 'The request is invalid.';
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : '';
  return `The request is invalid: ${first.pointer} ${first.message}${more}.`;
}

/** The wire codes of a body that cannot be read as JSON (SEAMS §B). */
export type RequestBodyErrorCode = 'MALFORMED_BODY' | 'CONTENT_TOO_LARGE' | 'UNSUPPORTED_MEDIA_TYPE';

const bodyStatus: Record<RequestBodyErrorCode, 400 | 413 | 415> = {
  MALFORMED_BODY: 400,
  CONTENT_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
};

/** A request body refused before validation: malformed (400), too large (413) or not JSON (415). */
export class RequestBodyError extends Error {
  /** 400, 413 or 415. */
  readonly status: 400 | 413 | 415;
  /** The same status under the other http-errors name (Fastify reads and writes this one). */
  statusCode: number;
  /** Safe to show the client. */
  readonly expose = true;
  /** The wire code. */
  readonly code: RequestBodyErrorCode;
  /** The message, for the problem's `detail`. */
  readonly detail: string;

  constructor(code: RequestBodyErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RequestBodyError';
    this.code = code;
    this.status = bodyStatus[code];
    this.statusCode = this.status;
    this.detail = message;
  }
}
