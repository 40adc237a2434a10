// Benchmark child process: the same node:http handler bare, behind pino-http, and behind our request logger.
// Every logger writes to a no-op destination. Prints the ports as one JSON line.
import { AsyncLocalStorage } from 'node:async_hooks';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { pinoHttp } from 'pino-http';
import { loadBuilt } from './built.js';

const { requestLogger } = await loadBuilt<typeof import('../src/adapters/express.js')>('express');
const { createLogger } = await loadBuilt<typeof import('../src/index.js')>('index');

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

// What AsyncLocalStorage alone costs per request on Node 20 (its async hooks run for every async
// resource the request creates), to separate it from the logging work.
const storage = new AsyncLocalStorage<{ requestId: string }>();

const subjects: Record<string, http.RequestListener> = {
  bare: handler,
  'bare + AsyncLocalStorage.run': (req, res) => storage.run({ requestId: 'x' }, () => handler(req, res)),
  'pino-http': (req, res) => {
    pinoHttpMiddleware(req, res);
    handler(req, res);
  },
  '@plinth/observability': (req, res) => ours(req, res, () => handler(req, res)),
  '@plinth/observability (tracing off)': (req, res) => oursNoTracing(req, res, () => handler(req, res)),
};

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
