// Benchmark child process: the same node:http handler bare, behind pino-http, and behind our request logger;
// and a fetch-style handler behind a minimal router context shaped like @plinth/http's (its Request built
// only when read), bare and behind our fetch middleware. Every logger writes to a no-op destination.
// Prints the ports as one JSON line. One process per group of subjects (argv[2], see `subjects` below).
import { AsyncLocalStorage } from 'node:async_hooks';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { pinoHttp } from 'pino-http';
import { loadBuilt } from './built.js';

const { requestLogger } = await loadBuilt<typeof import('../src/adapters/express.js')>('express');
const {
  createLogger,
  errorHandler: fetchErrorHandler,
  requestLogger: fetchRequestLogger,
} = await loadBuilt<typeof import('../src/index.js')>('index');
type FetchMiddleware = import('../src/index.js').Middleware;
type FetchContext = import('../src/index.js').MiddlewareContext;

type Middleware = (req: http.IncomingMessage, res: http.ServerResponse, next: () => void) => void;

const noop = { write: (_line: string) => undefined };
const handler = (_req: http.IncomingMessage, res: http.ServerResponse) => {
  res.setHeader('content-type', 'text/plain');
  res.end('ok');
};

const pinoHttpMiddleware = pinoHttp({ logger: pino({ timestamp: pino.stdTimeFunctions.isoTime }, noop) });
const ours = requestLogger({ logger: createLogger({ destination: noop }) }) as unknown as Middleware;
const oursNoTracing = requestLogger({
  logger: createLogger({ destination: noop }),
  tracing: false,
}) as unknown as Middleware;

// The SEAMS §A context as a node router gives it: method, path and header() straight from the
// IncomingMessage; the undici Request (with its AbortController) built on first read, as @plinth/http does.
class NodeContext implements FetchContext {
  readonly state: object = {};
  readonly routePath = '/orders/:id';
  readonly method: string;
  readonly path: string;
  #request: Request | undefined = undefined;
  #controller: AbortController | undefined = undefined;

  constructor(private readonly req: http.IncomingMessage) {
    this.method = req.method ?? 'GET';
    const url = req.url ?? '/';
    const query = url.indexOf('?');
    this.path = query === -1 ? url : url.slice(0, query);
  }

  header(name: string): string | undefined {
    const value = this.req.headers[name];
    return Array.isArray(value) ? value.join(', ') : value;
  }

  get signal(): AbortSignal {
    this.#controller ??= new AbortController();
    return this.#controller.signal;
  }

  get request(): Request {
    this.#request ??= new Request(`http://${this.req.headers.host ?? 'localhost'}${this.req.url ?? '/'}`, {
      method: this.method,
      headers: this.req.headers as Record<string, string>,
      signal: this.signal,
    });
    return this.#request;
  }
}

const okResponse = () => new Response('ok', { headers: { 'content-type': 'text/plain' } });

function fetchServer(middleware: FetchMiddleware[]): http.RequestListener {
  return (req, res) => {
    const ctx = new NodeContext(req);
    const dispatch = (index: number): Promise<Response> => {
      const current = middleware[index];
      return current === undefined ? Promise.resolve(okResponse()) : current(ctx, () => dispatch(index + 1));
    };
    void dispatch(0).then((response) => {
      res.statusCode = response.status;
      response.headers.forEach((value, name) => {
        res.setHeader(name, value);
      });
      res.end('ok');
    });
  };
}

// What the fetch middleware of the previous release did on every request: read ctx.request.
const readsRequest: FetchMiddleware = (ctx, next) => {
  void ctx.request.url;
  return next();
};

// What AsyncLocalStorage alone costs per request on Node 20 (its async hooks run for every async
// resource the request creates), to separate it from the logging work.
const storage = new AsyncLocalStorage<{ requestId: string }>();

const hooked: Record<string, http.RequestListener> = {
  bare: handler,
  'bare + AsyncLocalStorage.run': (req, res) => storage.run({ requestId: 'x' }, () => handler(req, res)),
  'pino-http': (req, res) => {
    pinoHttpMiddleware(req, res);
    handler(req, res);
  },
  '@plinth/observability': (req, res) => ours(req, res, () => handler(req, res)),
  '@plinth/observability (tracing off)': (req, res) => oursNoTracing(req, res, () => handler(req, res)),
  'fetch: no middleware': fetchServer([]),
  'fetch: requestLogger + errorHandler': fetchServer([
    fetchRequestLogger({ logger: createLogger({ destination: noop }) }),
    fetchErrorHandler(),
  ]),
  'fetch: a middleware reading ctx.request': fetchServer([readsRequest]),
};

// `requestLogger({ context: false })` in a process of its own: once any AsyncLocalStorage is entered, Node
// 20/22 run its async hooks for every promise and resource of the whole process, so next to the subjects
// above (which enter one) it would save nothing measurable, and their baselines pay those hooks too.
const hookFree: Record<string, http.RequestListener> = {
  'fetch, no async hooks: no middleware': fetchServer([]),
  'fetch, no async hooks: requestLogger({ context: false }) + errorHandler': fetchServer([
    fetchRequestLogger({ logger: createLogger({ destination: noop }), context: false }),
    fetchErrorHandler(),
  ]),
};

// The parent starts one process per group: `hooked` (default) or `hook-free`.
const subjects = process.argv[2] === 'hook-free' ? hookFree : hooked;

// A control port: the server process's CPU time, so the parent can compute CPU µs per request, which a
// busy shared machine disturbs far less than req/s.
subjects.cpu = (_req, res) => {
  const usage = process.cpuUsage();
  res.end(JSON.stringify({ cpuMicros: usage.user + usage.system }));
};

const ports: Record<string, number> = {};
for (const [name, listener] of Object.entries(subjects)) {
  const server = http.createServer({ keepAliveTimeout: 30_000 }, listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  ports[name] = (server.address() as AddressInfo).port;
}
process.stdout.write(`${JSON.stringify({ ports })}\n`);
// Bounded: the parent kills us when done; this is the backstop.
setTimeout(() => process.exit(0), 10 * 60_000).unref();
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
