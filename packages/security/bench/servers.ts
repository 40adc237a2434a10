// One of the benchmark's HTTP servers, in its own process (own heap, own GC; pinned to core 0 by
// bench/index.ts where taskset exists): Express 5 bare / with our limiter / with express-rate-limit,
// or node:http bare / with our headers / with helmet / sending the same headers itself.
// Usage: servers.ts <name> <port>. Listens on the first free port from <port> up, prints
// "ready <port>", then answers each "cpu" line on stdin with "cpu <µs of CPU used so far>".
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';
import express from 'express';
import { rateLimit as expressRateLimitPackage } from 'express-rate-limit';
import helmet from 'helmet';
import { memoryStore } from '../src/drivers/memory.js';
import { expressRateLimit, expressSecureHeaders } from '../src/express.js';
import { createSecureHeaders } from '../src/secure-headers.js';

type Connect = (request: IncomingMessage, response: ServerResponse, next: (error?: unknown) => void) => void;
const body = JSON.stringify({ hello: 'world' });
// Every request comes from 127.0.0.1: a limit no run reaches, so every request does the full check.
const limit = 1_000_000_000;
let remaining = limit;

function expressApp(middleware?: Connect): Server {
  const app = express();
  if (middleware) app.use(middleware);
  app.get('/', (_request, response) => {
    response.json({ hello: 'world' });
  });
  return createServer(app);
}

function nodeServer(middleware?: Connect): Server {
  const answer = (response: ServerResponse) => {
    response.setHeader('content-type', 'application/json');
    response.end(body);
  };
  return createServer((request, response) => {
    if (middleware === undefined) answer(response);
    else middleware(request, response, () => answer(response));
  });
}

// The floor of the secure-headers case: no middleware, the handler writes the same headers (helmet's
// defaults, as our middleware sends them) with its own writeHead. What it costs against the bare server
// is the price of sending those headers at all, which no middleware can go below.
const sameHeaders = () => [
  ...createSecureHeaders().fixed.flat(),
  'content-type',
  'application/json',
  'content-length',
  String(Buffer.byteLength(body)),
];

/** The server called `name` (as bench/index.ts lists them: group, colon, subject). */
function make(name: string): Server {
  switch (name) {
    case 'express: bare':
      return expressApp();
    case 'express: @plinth/security expressRateLimit (memory)':
      return expressApp(
        expressRateLimit({
          store: memoryStore(),
          policies: [{ name: 'default', limit, windowMs: 60_000, algorithm: 'fixed-window' }],
        }),
      );
    case 'express: express-rate-limit (memory)':
      return expressApp(
        expressRateLimitPackage({
          limit,
          windowMs: 60_000,
          standardHeaders: 'draft-8',
          legacyHeaders: false,
        }) as unknown as Connect,
      );
    case 'express: no limiter, a middleware setting the same two headers with setHeader':
      // No limiter: one more middleware layer and the two RateLimit headers set the ordinary way, with
      // setHeader (the remaining count changes per request, as a limiter's does).
      return expressApp((_request, response, next) => {
        remaining--;
        response.setHeader('ratelimit-policy', 'default;q=1000000000;w=60');
        response.setHeader(
          'ratelimit',
          `default;r=${remaining};t=${Math.ceil((60_000 - (Date.now() % 60_000)) / 1000)}`,
        );
        next();
      });
    case 'node:http: bare':
      return nodeServer();
    case 'node:http: @plinth/security secure headers':
      return nodeServer(expressSecureHeaders());
    case 'node:http: helmet':
      return nodeServer(helmet() as unknown as Connect);
    case 'node:http: the same headers in writeHead, no middleware': {
      const headers = sameHeaders();
      return createServer((_request, response) => {
        response.writeHead(200, headers);
        response.end(body);
      });
    }
    default:
      throw new Error(`No bench server named ${JSON.stringify(name)}.`);
  }
}

/** Listens on the first free port from `port` up; resolves with it. */
async function listen(server: Server, port: number): Promise<number> {
  for (let candidate = port; candidate < port + 100; candidate++) {
    const listening = await new Promise<boolean>((resolve) => {
      const taken = () => resolve(false);
      server.once('error', taken);
      server.listen(candidate, '127.0.0.1', () => {
        server.off('error', taken);
        resolve(true);
      });
    });
    if (listening) return (server.address() as AddressInfo).port;
  }
  throw new Error(`No free port in ${port}-${port + 99}; set BENCH_PORT.`);
}

if (process.argv[2] !== undefined) {
  const server = make(process.argv[2]);
  const port = await listen(server, Number(process.argv[3] ?? 41_200));
  // The process's CPU time so far (µs): read around each round, one subject loaded at a time.
  createInterface({ input: process.stdin }).on('line', (line) => {
    if (line !== 'cpu') return;
    const usage = process.cpuUsage();
    process.stdout.write(`cpu ${usage.user + usage.system}\n`);
  });
  process.stdin.on('end', () => process.exit(0));
  process.stdout.write(`ready ${port}\n`);
}
