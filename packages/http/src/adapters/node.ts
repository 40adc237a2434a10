// node:http adapter: `toNodeHandler(app)` for raw node, Express 5 and Connect. Translation only: the
// app does the work (serve() with its draining close() lives in node-server.ts).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type App, type Dispatch, dispatcherOf } from '../app.js';
import { NodeRequestSource, type ParsedBody } from '../node-request.js';
import { writeResponse } from '../node-response.js';

/** A Connect-style handler: `(req, res)` for node:http, `(req, res, next)` as Express middleware. */
export type NodeHandler = (
  req: IncomingMessage,
  res: ServerResponse,
  next?: (error?: unknown) => void,
) => void;

/** Internal: per-call options of the node handler (the Fastify adapter passes the body it parsed). */
export interface NodeDispatchOptions {
  parsed?: ParsedBody;
  /** The path to route on, when the host framework mounted us under a prefix. */
  url?: string;
  /** Called instead of answering 404 when no route matches. */
  next?: (error?: unknown) => void;
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

/** Internal: dispatches one node request through the app and writes the response. */
export function handleNode(
  dispatch: Dispatch,
  req: IncomingMessage,
  res: ServerResponse,
  options: NodeDispatchOptions = {},
) {
  const originalUrl = (req as { originalUrl?: string }).originalUrl;
  const source = new NodeRequestSource(req, res, options.parsed, originalUrl);
  if (options.url !== undefined) (source as { target: string }).target = options.url;
  let result: ReturnType<typeof dispatch>;
  try {
    result = dispatch(source, options.next !== undefined);
  } catch (error) {
    sendFailure(res, error);
    return;
  }
  if (result === undefined) {
    options.next?.();
    return;
  }
  const write = (response: Response) => {
    try {
      const piping = writeResponse(req, res, response);
      if (piping !== undefined) piping.catch((error: unknown) => sendFailure(res, error));
    } catch (error) {
      sendFailure(res, error);
    }
  };
  if (result instanceof Response) write(result);
  else result.then(write, (error: unknown) => sendFailure(res, error));
}

/**
 * A node:http request handler for the app. As Express middleware (`expressApp.use(toNodeHandler(app))`)
 * it calls `next()` when no route matches, and reuses a body that `express.json()` already parsed.
 *
 * @example
 * http.createServer(toNodeHandler(app)).listen(3000);
 */
export function toNodeHandler<State extends object>(app: App<State>): NodeHandler {
  const dispatch = dispatcherOf(app);
  return (req, res, next) => {
    const body = (req as { body?: unknown }).body;
    // A body parser ran before us: the stream is spent, its result is on req.body.
    const parsed = body !== undefined && req.readableEnded ? { value: body } : undefined;
    handleNode(dispatch, req, res, next === undefined ? { parsed } : { parsed, next });
  };
}
