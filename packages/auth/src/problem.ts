// problem+json answers for this package's HTTP errors, per SEAMS §B (RFC 9457), without depending on
// @plinth/http: used by the Express/Fastify adapters unless `forwardErrors` hands the error to the host.
import type { AuthError } from './errors.js';

const encoder = new TextEncoder();
const titles: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
};

/** Internal: the problem body and headers of `error`, members in the order of SEAMS §B. */
export function problemOf(error: AuthError): {
  status: number;
  body: string;
  headers: Record<string, string>;
} {
  const exposed = error.expose;
  const title = titles[error.status] ?? (error.status < 500 ? 'Client Error' : 'Internal Server Error');
  const body = JSON.stringify({
    type: 'about:blank',
    title,
    status: error.status,
    ...(exposed ? { detail: error.message } : {}),
    code: exposed ? error.code : title.toUpperCase().replace(/[^A-Z0-9]+/g, '_'),
  });
  return {
    status: error.status,
    body,
    headers: {
      ...error.headers,
      'content-type': 'application/problem+json',
      'content-length': String(encoder.encode(body).byteLength),
    },
  };
}
