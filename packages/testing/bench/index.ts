// inject() vs light-my-request vs a real socket request, for the same handlers (a node listener and an
// Express 5 app). Interleaved rounds, medians. Writes bench/results.json and the README table.
// BENCH_SMOKE=1 runs a short smoke round.
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus } from 'node:os';
import express from 'express';
import lightMyRequest from 'light-my-request';
import { Agent, request } from 'undici';
import { inject } from '../src/index.js';

const smoke = process.env.BENCH_SMOKE === '1';
const rounds = smoke ? 2 : 7;
const roundMs = smoke ? 200 : 1000;

interface Result {
  case: string;
  subject: string;
  median: number;
  unit: string;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

const body = JSON.stringify({ id: 1, email: 'ada@example.test', roles: ['admin'] });
function nodeHandler(_req: IncomingMessage, res: ServerResponse) {
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}
function expressApp() {
  const app = express();
  app.get('/users/:id', (req, res) => {
    res.json({ id: Number(req.params.id), email: 'ada@example.test', roles: ['admin'] });
  });
  return app as unknown as typeof nodeHandler;
}

type Send = () => Promise<string>;

// light-my-request rewires the request/response prototypes that every Express app of the process
// shares onto its own classes (its index.js, "Express support"); after that any other Express request
// in the process (over a socket, or inject()'s) crashes reading `_lightMyRequest`. So it is measured
// on the node listener only. Each subject calls its own instance of the app.
type Listener = (req: IncomingMessage, res: ServerResponse) => void;
async function subjects(make: () => Listener, withLightMyRequest: boolean) {
  const handler = make();
  const lmrHandler = make();
  const socketHandler = make();
  const server = createServer(socketHandler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const agent = new Agent({ connections: 1, pipelining: 1 });
  const sends: Array<[string, Send]> = [
    ['@plinth/testing inject()', async () => (await inject(handler, '/users/1')).text()],
    ...(withLightMyRequest
      ? ([
          ['light-my-request', async () => (await lightMyRequest(lmrHandler, { url: '/users/1' })).payload],
        ] as Array<[string, Send]>)
      : []),
    [
      'real socket (undici, keep-alive)',
      async () => (await request(`http://127.0.0.1:${port}/users/1`, { dispatcher: agent })).body.text(),
    ],
  ];
  const close = async () => {
    await agent.close();
    await new Promise((resolve) => server.close(resolve));
  };
  return { sends, close };
}

async function measure(send: Send): Promise<number> {
  const deadline = performance.now() + roundMs;
  let count = 0;
  const started = performance.now();
  while (performance.now() < deadline) {
    await send();
    count++;
  }
  return count / ((performance.now() - started) / 1000);
}

const results: Result[] = [];
for (const [caseName, make, withLightMyRequest] of [
  ['GET /users/1, node listener', () => nodeHandler, true],
  ['GET /users/1, Express 5 app', expressApp, false],
] as const) {
  const { sends, close } = await subjects(make, withLightMyRequest);
  const samples = new Map<string, number[]>(sends.map(([name]) => [name, []]));
  for (const [, send] of sends) for (let warm = 0; warm < 200; warm++) await send();
  for (let round = 0; round < rounds; round++) {
    // Interleaved, and the order rotates each round, so drift on a shared machine hits all alike.
    const order = sends.map((_, index) => sends[(index + round) % sends.length]!);
    for (const [name, send] of order) samples.get(name)!.push(await measure(send));
  }
  await close();
  for (const [name] of sends) {
    results.push({
      case: caseName,
      subject: name,
      median: Math.round(median(samples.get(name)!)),
      unit: 'req/s',
    });
  }
}

writeFileSync(new URL('./results.json', import.meta.url), `${JSON.stringify(results, null, 2)}\n`);

/** A markdown table padded the way biome formats one, so the README stays lint-clean. */
function markdownTable(header: string[], right: boolean[], rows: string[][]): string[] {
  const widths = header.map((title, column) =>
    Math.max(title.length, 3, ...rows.map((row) => row[column]!.length)),
  );
  const line = (cells: string[]) =>
    `| ${cells.map((cell, column) => (right[column] ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!))).join(' | ')} |`;
  const rule = `| ${widths.map((width, column) => (right[column] ? `${'-'.repeat(width - 1)}:` : '-'.repeat(width))).join(' | ')} |`;
  return [line(header), rule, ...rows.map(line)];
}

const rows = results.map((result) => {
  const base = results.find((other) => other.case === result.case && other.subject.startsWith('real socket'));
  return [
    result.case,
    result.subject,
    `${result.median} ${result.unit}`,
    base ? `${(result.median / base.median).toFixed(2)}×` : '',
  ];
});
const table = [
  `Node ${process.version}, ${cpus().length} cores shared with other work; one request at a time, body read to the end; ${rounds} interleaved rounds of ${roundMs} ms, medians. light-my-request runs on the node listener only: on Express it rewires prototypes all Express apps of the process share, and every other Express request then fails${smoke ? ' (smoke run: the lead takes the real numbers on a quiet machine)' : ''}.`,
  '',
  ...markdownTable(['case', 'subject', 'median', 'vs real socket'], [false, false, true, true], rows),
].join('\n');
const readmeUrl = new URL('../README.md', import.meta.url);
const readme = readFileSync(readmeUrl, 'utf8');
const start = readme.indexOf('<!-- bench:start -->');
const end = readme.indexOf('<!-- bench:end -->');
if (start !== -1 && end > start) {
  writeFileSync(readmeUrl, `${readme.slice(0, start)}<!-- bench:start -->\n${table}\n${readme.slice(end)}`);
}
console.log(table);
