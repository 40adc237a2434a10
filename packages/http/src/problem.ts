// RFC 9457 problem details: the body every error leaves with, and the default error and not-found hooks.
import { isHttpError, statusTitle } from './errors.js';
import { json } from './response.js';

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
  [extension: string]: unknown;
}

/**
 * An `application/problem+json` response.
 *
 * @example
 * return problem(409, { detail: 'This e-mail address is already registered.' });
 */
export function problem(
  status: number,
  details: ProblemDetails = {},
  headers?: Record<string, string>,
): Response {
  const body = { type: 'about:blank', title: statusTitle(status), status, ...details };
  return json(body, {
    status,
    headers: { ...headers, 'content-type': 'application/problem+json; charset=utf-8' },
  });
}

/**
 * The problem response for any thrown value: an `HttpError` keeps its status, headers and code, and its
 * message only when `expose` is true; anything else is a 500 that says nothing about the internals.
 */
export function problemFromError(error: unknown): Response {
  if (isHttpError(error)) {
    const details: ProblemDetails = {};
    if (error.expose) {
      details.detail = error.message;
      details.code = error.code;
    }
    return problem(error.status, details, error.headers);
  }
  return problem(500);
}
