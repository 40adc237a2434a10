// The benchmark's servers, in their own process so the load generator does not share their event loop.
// One node:http server per subject, each answering GET /readyz with a simulated database check of
// `CHECK_MS` milliseconds, and GET /__calls with how many times that check ran.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { createTerminus } from '@godaddy/terminus';
import { createHealth } from '../src/index.js';
import { healthHandler } from '../src/node.js';

const checkMs = Number(process.env.CHECK_MS ?? 1);

type Listener = (request: IncomingMessage, response: ServerResponse) => void;

function subject(name: string, build: (check: () => Promise<void>) => Listener) {
  let calls = 0;
  const check = async () => {
    calls++;
    await sleep(checkMs);
  };
  const inner = build(check);
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    if (request.url === '/__calls') response.end(String(calls));
    else inner(request, response);
  });
  return { name, server, check };
}

const fallback: Listener = (_request, response) => response.writeHead(404).end();

const subjects = [
  subject('@plinth/deploy (cached 1 s)', (check) => {
    const health = createHealth({ started: true, cacheTtl: 1000, checks: [{ name: 'db', run: check }] });
    const handler = healthHandler(health);
    return (request, response) => handler(request, response, () => fallback(request, response));
  }),
  subject('@plinth/deploy (uncached, single-flight)', (check) => {
    const health = createHealth({ started: true, cacheTtl: 0, checks: [{ name: 'db', run: check }] });
    const handler = healthHandler(health);
    return (request, response) => handler(request, response, () => fallback(request, response));
  }),
  subject('@godaddy/terminus', () => fallback),
  subject('naive handler', (check) => async (request, response) => {
    if (request.url !== '/readyz') return fallback(request, response);
    try {
      await check();
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
    } catch {
      response.writeHead(503, { 'content-type': 'application/json' }).end('{"status":"error"}');
    }
  }),
];

// terminus wraps the server it is given and runs its health check on every request (no cache).
const terminus = subjects[2]!;
createTerminus(terminus.server, { healthChecks: { '/readyz': terminus.check }, signals: [] });

const ports: Record<string, number> = {};
for (const { name, server } of subjects) {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  ports[name] = (server.address() as AddressInfo).port;
}
process.stdout.write(`${JSON.stringify(ports)}\n`);
