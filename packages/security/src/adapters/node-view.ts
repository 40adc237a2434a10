// The RequestView of a node IncomingMessage, shared by the Express and Fastify adapters, and the
// problem answer written straight to a ServerResponse.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestView } from '../context.js';
import type { SecurityHttpError } from '../errors.js';
import { problemOf } from '../problem.js';

/** A view of node's request; `path` is the full path (mount paths included), without the query. */
export function nodeView(req: IncomingMessage, state: object, url = req.url ?? '/'): RequestView {
  const query = url.indexOf('?');
  const headers = req.headers;
  return {
    method: req.method ?? 'GET',
    path: query === -1 ? url : url.slice(0, query),
    routePath: (req as { routePath?: string }).routePath,
    header(name) {
      const value = headers[name];
      return Array.isArray(value) ? value.join(', ') : value;
    },
    peer: req.socket?.remoteAddress,
    state,
  };
}

/** True when the request came over TLS. */
export function encryptedOf(req: IncomingMessage): boolean {
  return (req.socket as { encrypted?: boolean } | undefined)?.encrypted === true;
}

/** Appends a header value (Vary, Set-Cookie) to what the response already has. */
export function appendHeader(res: ServerResponse, name: string, value: string): void {
  const current = res.getHeader(name);
  if (current === undefined) res.setHeader(name, value);
  else if (Array.isArray(current)) res.setHeader(name, [...current, value]);
  else res.setHeader(name, name === 'set-cookie' ? [String(current), value] : `${current}, ${value}`);
}

/** Sets decision headers on a node response (Vary appended). */
export function setHeaders(res: ServerResponse, headers: ReadonlyArray<readonly [string, string]>): void {
  for (const [name, value] of headers) {
    if (name === 'vary') appendHeader(res, name, value);
    else res.setHeader(name, value);
  }
}

/** Answers `error` as problem+json (SEAMS §B). */
export function writeProblem(res: ServerResponse, error: SecurityHttpError): void {
  const { body, headers } = problemOf(error);
  res.writeHead(error.status, headers);
  res.end(body);
}
