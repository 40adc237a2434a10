// The benchmark's HTTP servers, in their own process so the load generator does not share their event
// loop: Express 5 bare / with our limiter / with express-rate-limit, and node:http bare / with our
// headers / with helmet / sending the same headers itself. Prints {"name": port, ...} once all listen,
// on ports from BENCH_PORT (default 41200) up, skipping any in use.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
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
const sameHeaders = [
  ...createSecureHeaders().fixed.flat(),
  'content-type',
  'application/json',
  'content-length',
  String(Buffer.byteLength(body)),
];

const servers: Record<string, Server> = {
  'express: bare': expressApp(),
  'express: @plinth/security expressRateLimit (memory)': expressApp(
    expressRateLimit({
      store: memoryStore(),
      policies: [{ name: 'default', limit, windowMs: 60_000, algorithm: 'fixed-window' }],
    }),
  ),
  'express: express-rate-limit (memory)': expressApp(
    expressRateLimitPackage({
      limit,
      windowMs: 60_000,
      standardHeaders: 'draft-8',
      legacyHeaders: false,
    }) as unknown as Connect,
  ),
  'node:http: bare': nodeServer(),
  'node:http: @plinth/security secure headers': nodeServer(expressSecureHeaders()),
  'node:http: helmet': nodeServer(helmet() as unknown as Connect),
  'node:http: the same headers in writeHead, no middleware': createServer((_request, response) => {
    response.writeHead(200, sameHeaders);
    response.end(body);
  }),
};

// The process's CPU time so far (µs): the load generator reads it around each round, and as rounds
// run one subject at a time, the difference is that subject's CPU cost, whatever else the machine runs.
servers.__cpu = createServer((_request, response) => {
  const usage = process.cpuUsage();
  response.end(String(usage.user + usage.system));
});

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

const ports: Record<string, number> = {};
let next = Number(process.env.BENCH_PORT ?? 41_200);
for (const [name, server] of Object.entries(servers)) {
  ports[name] = await listen(server, next);
  next = ports[name] + 1;
}
console.log(JSON.stringify(ports));
