// node:http adapter: `toNodeHandler(app)` for raw node (and, as before, Connect-style middleware).
// Translation only: the app does the work (serve() with its draining close() lives in node-server.ts;
// Express gets its own adapter in express.ts).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type App, dispatcherOf } from '../app.js';
import type { Dispatch, DispatchOptions, ResponseSink } from '../dispatch.js';
import { NodeRequestSource, type ParsedBody } from '../node-request.js';
import { writeResponse } from '../node-response.js';

/** A Connect-style handler: `(req, res)` for node:http, `(req, res, next)` as Express middleware. */
export type NodeHandler = (
  req: IncomingMessage,
  res: ServerResponse,
  next?: (error?: unknown) => void,
) => void;

/** Internal: per-call options of the node handler. */
export interface NodeDispatchOptions extends DispatchOptions {
  /** A body a host parser already read, with its raw bytes when the host kept them. */
  parsed?: ParsedBody | undefined;
  /** The URL the user addressed (Express keeps it as req.originalUrl under a mount path). */
  originalUrl?: string | undefined;
  /** Called when no route serves the request and `mode` lets the host continue. */
  next?: ((error?: unknown) => void) | undefined;
}

const INTERNAL_ERROR = JSON.stringify({
  type: 'about:blank',
  title: 'Internal Server Error',
  status: 500,
  code: 'INTERNAL_SERVER_ERROR',
});

function sendFailure(res: ServerResponse, error: unknown): void {
  console.error(error);
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(500, {
    'content-type': 'application/problem+json',
    'content-length': Buffer.byteLength(INTERNAL_ERROR),
  });
  res.end(INTERNAL_ERROR);
}

/** Where dispatch delivers an asynchronous response for one node request (one object, no closures). */
class NodeSink implements ResponseSink {
  readonly #req: IncomingMessage;
  readonly #res: ServerResponse;

  constructor(req: IncomingMessage, res: ServerResponse) {
    this.#req = req;
    this.#res = res;
  }

  send(response: Response): void {
    const res = this.#res;
    try {
      const piping = writeResponse(this.#req, res, response);
      if (piping !== undefined) piping.catch((error: unknown) => sendFailure(res, error));
    } catch (error) {
      sendFailure(res, error);
    }
  }

  fail(error: unknown): void {
    sendFailure(this.#res, error);
  }
}

/** Internal: dispatches one node request through the app and writes the response to `res`. */
export function handleNode(
  dispatch: Dispatch,
  req: IncomingMessage,
  res: ServerResponse,
  options: NodeDispatchOptions,
): void {
  const source = new NodeRequestSource(req, res, options.parsed, options.originalUrl);
  const sink = new NodeSink(req, res);
  let result: ReturnType<Dispatch>;
  try {
    result = dispatch(source, options, sink);
  } catch (error) {
    sendFailure(res, error);
    return;
  }
  // null: an asynchronous chain delivers to the sink itself.
  if (result === null) return;
  if (result === undefined) {
    options.next?.();
    return;
  }
  if (result instanceof Response) sink.send(result);
  else
    result.then(
      (response) => sink.send(response),
      (error: unknown) => sink.fail(error),
    );
}

/** Internal: what a host parser left on req: its parsed value and, if kept, the raw bytes. */
export function parsedBodyOf(req: IncomingMessage): ParsedBody | undefined {
  const { body, rawBody } = req as { body?: unknown; rawBody?: unknown };
  // express.raw() leaves the bytes themselves on req.body: as good as a kept raw body.
  const raw = rawBody instanceof Uint8Array ? rawBody : body instanceof Uint8Array ? body : undefined;
  // A body parser ran before us when the stream is spent: its result is on req.body.
  if (!req.readableEnded || (body === undefined && raw === undefined)) return undefined;
  return { value: body, raw };
}

/** Internal: a route pattern under the host's mount path (SEAMS §C: what request logs name). */
export function routePathUnder(mountPath: string, pattern: string): string {
  return pattern === '/' && mountPath !== '' ? mountPath : mountPath + pattern;
}

const ANSWER = { mode: 'answer' } as const satisfies NodeDispatchOptions;

/**
 * A node:http request handler for the app. Given a `next` (Connect, Express) it calls `next()` when no
 * route matches; for Express prefer `plinthExpress` from `@plinth/http/express`.
 *
 * @example
 * http.createServer(toNodeHandler(app)).listen(3000);
 */
export function toNodeHandler<State extends object>(app: App<State>): NodeHandler {
  const dispatch = dispatcherOf(app);
  return (req, res, next) => {
    if (next === undefined) {
      handleNode(dispatch, req, res, ANSWER);
      return;
    }
    const mounted = req as IncomingMessage & { originalUrl?: string; baseUrl?: string; routePath?: string };
    handleNode(dispatch, req, res, {
      mode: 'next',
      parsed: parsedBodyOf(req),
      originalUrl: mounted.originalUrl,
      next,
      matched: (route) => {
        mounted.routePath = routePathUnder(mounted.baseUrl ?? '', route.path);
      },
    });
  };
}
