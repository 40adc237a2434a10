// From domain errors to HTTP errors: one table per app, `code → status`, complete for the union of
// the app's domain errors (the compiler checks it). The errors it makes follow the http-errors
// convention (status, expose, code, detail) that every Plinth error handler, Express and Fastify
// already answer, so the app plugs the mapping into the error handler it has.
import { type DomainError, isDomainError } from './domain-error.js';

/** How one domain error code leaves over HTTP: a status, or a status with a title and headers. */
export type HttpMapping = number | { status: number; title?: string; headers?: Record<string, string> };

/** A mapping for every `code` of the union `E`; a missing code is a compile error. */
export type HttpStatusMap<E extends { code: string }> = { [C in E['code']]: HttpMapping };

/** An Error of the http-errors convention made from a DomainError; `cause` is the domain error. */
export class DomainHttpError extends Error {
  readonly status: number;
  readonly statusCode: number;
  /** Whether the message and details reach the client: true for 4xx. */
  readonly expose: boolean;
  /** The domain error's code, sent as the problem's `code` when exposed. */
  readonly code: string;
  readonly detail: string;
  readonly title?: string;
  readonly headers?: Record<string, string>;
  /** The domain error's details, for a handler that wants them in the answer. */
  readonly details: unknown;

  constructor(error: DomainError, mapping: Exclude<HttpMapping, number>) {
    // A 5xx message stays on `cause`: handlers that ignore `expose` (Fastify's default) send `message`.
    super(
      mapping.status < 500
        ? error.message
        : `The domain error ${error.code} is answered with ${mapping.status}.`,
      { cause: error },
    );
    this.name = 'DomainHttpError';
    this.status = mapping.status;
    this.statusCode = mapping.status;
    this.expose = mapping.status < 500;
    this.code = error.code;
    this.detail = this.message;
    this.details = error.details;
    if (mapping.title !== undefined) this.title = mapping.title;
    if (mapping.headers !== undefined) this.headers = mapping.headers;
  }
}

function validStatus(code: string, mapping: HttpMapping): Exclude<HttpMapping, number> {
  const normal = typeof mapping === 'number' ? { status: mapping } : mapping;
  if (!Number.isInteger(normal.status) || normal.status < 400 || normal.status > 599) {
    throw new TypeError(
      `The HTTP status of ${code} must be an integer 400–599, got ${String(normal.status)}.`,
    );
  }
  return normal;
}

/**
 * A function for the app's error handler: a DomainError whose code is in `statuses` becomes a
 * DomainHttpError with that status; a DomainError missing from it becomes a 500 (not exposed: a
 * programming error, the table is incomplete); anything else is returned unchanged.
 *
 * @example
 * type AppError = InsufficientFunds | AccountClosed;
 * const toHttp = httpErrorMapping<AppError>({ INSUFFICIENT_FUNDS: 409, ACCOUNT_CLOSED: 410 });
 * app.use((error, req, res, next) => next(toHttp(error))); // Express
 * fastify.setErrorHandler((error, request, reply) => reply.send(toHttp(error))); // Fastify
 */
export function httpErrorMapping<E extends { code: string }>(
  statuses: HttpStatusMap<E>,
): (error: unknown) => unknown {
  const table = new Map<string, Exclude<HttpMapping, number>>();
  for (const [code, mapping] of Object.entries(statuses as Record<string, HttpMapping>)) {
    table.set(code, validStatus(code, mapping));
  }
  return (error) => {
    if (!isDomainError(error)) return error;
    return new DomainHttpError(error, table.get(error.code) ?? { status: 500 });
  };
}
