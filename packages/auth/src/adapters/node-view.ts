// The request view of a node IncomingMessage (Express, Fastify's raw request, node:http), and the
// problem writer for a ServerResponse.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestView } from '../context.js';
import type { AuthError } from '../errors.js';
import { problemOf } from '../problem.js';

/** Internal: headers of a node request, case-insensitive, repeated ones joined. */
export function nodeView(req: IncomingMessage): RequestView {
  return {
    method: req.method ?? 'GET',
    path: (req.url ?? '/').split('?', 1)[0] as string,
    header(name) {
      const value = req.headers[name.toLowerCase()];
      return Array.isArray(value) ? value.join(', ') : value;
    },
  };
}

/** Internal: answers `error` as problem+json on a node response. */
export function writeProblem(res: ServerResponse, error: AuthError): void {
  const { status, body, headers } = problemOf(error);
  res.statusCode = status;
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  res.end(body);
}
