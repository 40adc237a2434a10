// The health endpoints for node:http: a request listener, and the node ↔ core translation.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Health, HealthRequestInput } from '../health.js';
import { type HealthResponse, problem } from '../health-http.js';

/** A node:http request listener, optionally with a `next` for other paths. */
export type NodeHealthHandler = (
  request: IncomingMessage,
  response: ServerResponse,
  next?: () => void,
) => void;

/**
 * A node:http listener that answers the health endpoints. Other paths go to `next` when given,
 * else get 404 problem+json.
 *
 * @example
 * const health = healthHandler(createHealth());
 * http.createServer((req, res) => health(req, res, () => app(req, res)));
 */
export function healthHandler(health: Health): NodeHealthHandler {
  return (request, response, next) => {
    respondNode(health, request).then(
      (answer) => {
        if (answer !== undefined) writeNode(response, answer);
        else if (next !== undefined) next();
        else {
          writeNode(response, problem(404, 'NOT_FOUND', 'This server answers only the health endpoints.'));
        }
      },
      // A check failure is a result, not a throw; only a bug reaches here, and must not crash the process.
      (error: unknown) => {
        if (response.headersSent) response.destroy();
        else writeNode(response, problem(500, 'INTERNAL_SERVER_ERROR'));
        process.emitWarning(error instanceof Error ? error : String(error));
      },
    );
  };
}

/** @internal Answers a node request when its path is a health path (url relative to any mount point). */
export function respondNode(
  health: Health,
  request: IncomingMessage,
  url = request.url ?? '/',
): Promise<HealthResponse | undefined> {
  const query = url.indexOf('?');
  const input: HealthRequestInput = {
    method: request.method ?? 'GET',
    pathname: query === -1 ? url : url.slice(0, query),
    search: () => (query === -1 ? '' : url.slice(query)),
    request: () => toWebRequest(request),
  };
  return health.respond(input);
}

/** @internal Writes a core answer to a node response. */
export function writeNode(response: ServerResponse, answer: HealthResponse): void {
  response.writeHead(answer.status, answer.headers);
  response.end(answer.body);
}

/** @internal Builds a fetch Request (headers, method, absolute URL; no body) from a node request. */
export function toWebRequest(request: IncomingMessage): Request {
  const headers = new Headers();
  const raw = request.rawHeaders;
  for (let index = 0; index + 1 < raw.length; index += 2) headers.append(raw[index]!, raw[index + 1]!);
  const host = request.headers.host ?? 'localhost';
  const method = request.method ?? 'GET';
  return new Request(`http://${host}${request.url ?? '/'}`, { method, headers });
}
