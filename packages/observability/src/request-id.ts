// Request ids: accept a well-formed incoming X-Request-Id, else generate one.
import { randomUUID } from 'node:crypto';

/** The longest incoming request id accepted. */
export const MAX_REQUEST_ID_LENGTH = 128;

// Bounded length and a charset with nothing that could forge a log line or a header.
const requestIdPattern = /^[A-Za-z0-9._:-]{1,128}$/;

/** Whether `value` may be used as a request id: 1–128 characters of `A-Z a-z 0-9 . _ : -`. */
export function isValidRequestId(value: string): boolean {
  return requestIdPattern.test(value);
}

/**
 * The incoming id when it is valid, else a new one from `generate` (default `crypto.randomUUID`).
 * @example
 * const id = resolveRequestId(request.headers.get('x-request-id'));
 */
export function resolveRequestId(
  incoming: string | null | undefined,
  generate: () => string = randomUUID,
): string {
  return incoming !== null && incoming !== undefined && requestIdPattern.test(incoming)
    ? incoming
    : generate();
}
