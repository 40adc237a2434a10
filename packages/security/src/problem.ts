// problem+json answers for this package's HTTP errors, per SEAMS §B (RFC 9457), without depending on
// @plinth/http: used by the Express/Fastify adapters unless `forwardErrors` hands the error to the host.
import type { SecurityHttpError } from './errors.js';

const encoder = new TextEncoder();

const titles: Record<number, string> = {
  403: 'Forbidden',
  429: 'Too Many Requests',
  503: 'Service Unavailable',
};

/** The problem body and headers of `error`, members in the order of SEAMS §B. */
export function problemOf(error: SecurityHttpError): { body: string; headers: Record<string, string> } {
  const body = JSON.stringify({
    type: 'about:blank',
    title: titles[error.status] ?? (error.status < 500 ? 'Client Error' : 'Server Error'),
    status: error.status,
    detail: error.message,
    code: error.code,
  });
  return {
    body,
    headers: {
      ...error.headers,
      'content-type': 'application/problem+json',
      'content-length': String(encoder.encode(body).byteLength),
    },
  };
}
