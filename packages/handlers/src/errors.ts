// The errors @plinth/handlers throws: one base class whose `code` narrows in a `switch`, plus the
// request errors (validation, body) that leave as problem+json in the http-errors shape.
import type { AnyToken } from './registration.js';

/** Every programming-error code this package can throw; each is listed in the README. */
export type HandlersErrorCode =
  | 'ERR_HANDLERS_INVALID_TOKEN'
  | 'ERR_HANDLERS_INVALID_REGISTRATION'
  | 'ERR_HANDLERS_DUPLICATE_REGISTRATION'
  | 'ERR_HANDLERS_SEALED'
  | 'ERR_HANDLERS_MISSING_REGISTRATION'
  | 'ERR_HANDLERS_CYCLE'
  | 'ERR_HANDLERS_LIFETIME_LEAK'
  | 'ERR_HANDLERS_NO_SCOPE'
  | 'ERR_HANDLERS_ASYNC_FACTORY'
  | 'ERR_HANDLERS_DISPOSED'
  | 'ERR_HANDLERS_DISPOSE_FAILED'
  | 'ERR_HANDLERS_INVALID_DEFINITION'
  | 'ERR_HANDLERS_INVALID_RESPONSE'
  | 'ERR_HANDLERS_INVALID_OPTION';

/** The base class of every programming error thrown by @plinth/handlers; branch on `code`. */
export class HandlersError extends Error {
  /** A stable, unique code: `ERR_HANDLERS_<WHAT>`. */
  readonly code: HandlersErrorCode;
  /** 500 when it reaches an HTTP error handler: never exposed (SEAMS §B). */
  readonly status = 500;
  readonly expose = false;

  constructor(code: HandlersErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'HandlersError';
    this.code = code;
  }
}

/** One entry of a problem's `errors[]`: RFC 6901 pointer into the request, message, issue code. */
export interface FieldError {
  pointer: string;
  message: string;
  code: string;
}

/** A Standard Schema issue, as validators report it. */
export interface SchemaIssue {
  readonly message: string;
  readonly path?: ReadonlyArray<PropertyKey | { readonly key: PropertyKey }> | undefined;
}

/**
 * The request did not match its schemas: 400 (or 422), `code: 'VALIDATION_FAILED'`, `errors[]` with
 * a pointer per field and the Standard Schema `issues`, so every http-errors handler answers it.
 */
export class ValidationError extends Error {
  readonly status: number;
  readonly expose = true;
  readonly code = 'VALIDATION_FAILED';
  readonly detail: string;
  readonly errors: FieldError[];
  readonly issues: SchemaIssue[];

  constructor(status: number, errors: FieldError[], issues: SchemaIssue[]) {
    const detail =
      errors.length === 1
        ? `The request has 1 invalid field: ${errors[0]?.pointer}.`
        : `The request has ${errors.length} invalid fields: ${errors.map((error) => error.pointer).join(', ')}.`;
    super(detail);
    this.name = 'ValidationError';
    this.status = status;
    this.detail = detail;
    this.errors = errors;
    this.issues = issues;
  }
}

/** Wire codes of the request failures this package detects itself (SEAMS §B table). */
export type RequestErrorCode = 'MALFORMED_BODY' | 'CONTENT_TOO_LARGE' | 'UNSUPPORTED_MEDIA_TYPE';

/** A malformed, oversized or unsupported request body: an exposed 4xx in the http-errors shape. */
export class RequestError extends Error {
  readonly status: number;
  readonly expose = true;
  readonly code: RequestErrorCode;

  constructor(status: number, code: RequestErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RequestError';
    this.status = status;
    this.code = code;
  }
}

/** Internal: a missing registration, naming who asked for it. */
export function missingError(
  token: AnyToken,
  path: readonly AnyToken[],
  requester: string | undefined,
): HandlersError {
  const who = path.length > 0 ? `"${path[path.length - 1]?.name}"` : (requester ?? 'container.resolve()');
  const chain = path.length > 1 ? ` (${[...path, token].map((step) => step.name).join(' → ')})` : '';
  return new HandlersError(
    'ERR_HANDLERS_MISSING_REGISTRATION',
    `No registration for "${token.name}", needed by ${who}${chain}. Register it with container.singleton/scoped/transient/value(${token.name}, ...).`,
  );
}

/** Internal: a singleton reaching a scoped service. */
export function leakError(name: string, scopedVia: readonly string[]): HandlersError {
  return new HandlersError(
    'ERR_HANDLERS_LIFETIME_LEAK',
    `Singleton "${name}" depends on scoped "${scopedVia[scopedVia.length - 1]}" (${[name, ...scopedVia].join(' → ')}): it would keep the first request's instance for every request. Make "${name}" scoped, or pass the request-bound value as an argument instead.`,
  );
}
