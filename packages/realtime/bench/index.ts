// Broadcast throughput: 200 messages of 100 B to 1,000 and 5,000 local WebSocket clients, messages
// delivered per second, sent in one burst and paced one per event-loop turn — @plinth/realtime vs a plain ws send loop, the same Buffer to each socket,
// a frame built once and written to every socket, and socket.io 4. Clients run in a child process.
// Medians over BENCH_ROUNDS interleaved rounds (default 5): each round measures every subject once, each
// on a new server after a short warm-up. BENCH_CLIENTS (comma list, default 1000,5000),
// BENCH_MESSAGES (200), BENCH_MODES (burst|paced) and BENCH_ONLY (subjects separated by |) make
// smoke runs short. Only the full default run (none of these set) writes bench/results.json and the README table.
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server as SocketIoServer } from 'socket.io';
import { WebSocketServer } from 'ws';
import { textFrame } from '../src/frame.js';
import { createWebSocketServer } from '../src/ws.js';

const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
const clientCounts = (process.env.BENCH_CLIENTS ?? '1000,5000').split(',').map(Number);
const messages = Number(process.env.BENCH_MESSAGES ?? 200);
const only = process.env.BENCH_ONLY?.split('|');
const payload = JSON.stringify({ type: 'tick', text: 'x'.repeat(75) }); // 100 bytes
if (Buffer.byteLength(payload) !== 100) throw new Error(`payload is ${Buffer.byteLength(payload)} B`);

interface Subject {
  name: string;
  kind: 'ws' | 'socket.io';
  /** Starts the server; returns the client URL, a broadcast of one message, and a close. */
  start(server: Server): Promise<{ path: string; broadcast(): void; close(): Promise<void> }>;
}

type RawSocket = { _socket: { write(data: Buffer): boolean } };

function plainWs(send: (sockets: Set<import('ws').WebSocket>) => void): Subject['start'] {
  return async (server) => {
    const wss = new WebSocketServer({ server, perMessageDeflate: false });
    const sockets = new Set<import('ws').WebSocket>();
    wss.on('connection', (socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    return {
      path: '/',
      broadcast: () => send(sockets),
      close: async () => {
        for (const socket of sockets) socket.terminate();
        wss.close();
      },
    };
  };
}

const subjects: Subject[] = [
  {
    name: '@plinth/realtime',
    kind: 'ws',
    async start(server) {
      const ws = createWebSocketServer({
        server,
        path: '/',
        heartbeatMs: 0,
        onConnection: (connection) => connection.join('all'),
      });
      // The object, so the wire carries the same 100 B as the others (a string would be JSON-quoted).
      const message = JSON.parse(payload);
      return { path: '/', broadcast: () => void ws.broadcast('all', message), close: () => ws.close() };
    },
  },
  {
    name: 'ws send loop',
    kind: 'ws',
    start: plainWs((sockets) => {
      for (const socket of sockets) socket.send(payload);
    }),
  },
  {
    name: 'ws, same Buffer to each',
    kind: 'ws',
    start: plainWs((sockets) => {
      const data = Buffer.from(payload);
      for (const socket of sockets) socket.send(data, { binary: false });
    }),
  },
  {
    name: 'ws, framed once',
    kind: 'ws',
    start: plainWs((sockets) => {
      const frame = textFrame(Buffer.from(payload));
      for (const socket of sockets) (socket as unknown as RawSocket)._socket.write(frame);
    }),
  },
  {
    name: 'socket.io 4',
    kind: 'socket.io',
    async start(server) {
      const io = new SocketIoServer(server, { transports: ['websocket'], perMessageDeflate: false });
      const message = JSON.parse(payload);
      return {
        path: '',
        broadcast: () => void io.emit('m', message),
        close: async () => {
          io.disconnectSockets(true);
          await new Promise<void>((resolve) => io.close(() => resolve()));
        },
      };
    },
  },
];

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** `burst`: all messages in one synchronous loop; `paced`: one message per turn of the event loop. */
type Mode = 'burst' | 'paced';
const modes = (process.env.BENCH_MODES ?? 'burst|paced').split('|') as Mode[];

/** A measured round: messages delivered per second, and this (the server's) process's CPU per delivery in ns. */
interface Round {
  rate: number;
  cpuPerDelivery: number;
}

/** Messages of the discarded warm-up each new server gets before its measured round (the JIT's first calls). */
const warmupMessages = Math.min(20, messages);

/**
 * One measured round of `subject`: a new server and client process, a short warm-up, then `messages`
 * messages; returns their rate and this process's CPU per delivery. A round starts its own server
 * because five subjects' servers at 5,000 clients would hold 25,000 sockets in this process, past the
 * machine's 20,000 descriptors.
 */
async function measureRound(subject: Subject, clients: number, mode: Mode): Promise<Round> {
  const server = createServer();
  const running = await subject.start(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const child = fork(
    new URL('./clients.ts', import.meta.url),
    [`ws://127.0.0.1:${port}${running.path}`, subject.kind, String(clients)].map((arg) =>
      subject.kind === 'socket.io' ? arg.replace('ws://', 'http://') : arg,
    ),
    { execArgv: ['--import', 'tsx'] },
  );
  const next = (type: string) =>
    new Promise<void>((resolve) => {
      const listener = (message: { type: string }) => {
        if (message.type !== type) return;
        child.off('message', listener);
        resolve();
      };
      child.on('message', listener);
    });
  const send = async (count: number): Promise<Round> => {
    const armed = next('armed');
    child.send({ type: 'expect', messages: count });
    await armed;
    const done = next('done');
    const started = performance.now();
    const cpu = process.cpuUsage();
    if (mode === 'burst') {
      for (let n = 0; n < count; n++) running.broadcast();
    } else {
      for (let n = 0; n < count; n++) {
        running.broadcast();
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
    await done;
    const seconds = (performance.now() - started) / 1000;
    const { user, system } = process.cpuUsage(cpu);
    return {
      rate: (clients * count) / seconds,
      cpuPerDelivery: ((user + system) * 1000) / (clients * count),
    };
  };
  try {
    await next('ready');
    await send(warmupMessages);
    return await send(messages);
  } finally {
    child.kill();
    await running.close();
    server.closeAllConnections();
    server.close();
  }
}

const results: Array<{ case: string; subject: string; median: number; unit: string }> = [];
const chosen = subjects.filter((candidate) => !only || only.includes(candidate.name));
for (const mode of modes) {
  for (const clients of clientCounts) {
    const label = `${clients} clients, ${mode === 'burst' ? 'burst' : 'one per turn'}`;
    // Interleaved: each round measures every subject once, starting one subject later each round.
    const measured = new Map<string, Round[]>(chosen.map((subject) => [subject.name, []]));
    for (let round = 0; round < rounds; round++) {
      for (let index = 0; index < chosen.length; index++) {
        const subject = chosen[(index + round) % chosen.length]!;
        const result = await measureRound(subject, clients, mode);
        measured.get(subject.name)!.push(result);
        console.log(
          `${label} round ${round + 1}: ${subject.name} ${Math.round(result.rate)} msgs/s, ${Math.round(result.cpuPerDelivery)} ns CPU/delivery`,
        );
      }
    }
    const metrics = [
      { name: label, unit: 'msgs/s', of: (round: Round) => round.rate },
      { name: `${label}, server CPU`, unit: 'ns/delivery', of: (round: Round) => round.cpuPerDelivery },
    ];
    for (const metric of metrics) {
      for (const subject of chosen) {
        const value = Math.round(median(measured.get(subject.name)!.map(metric.of)));
        results.push({ case: metric.name, subject: subject.name, median: value, unit: metric.unit });
        console.log(`${metric.name.padEnd(38)} ${subject.name.padEnd(26)} ${value} ${metric.unit}`);
      }
    }
  }
}

const filtered = ['BENCH_ROUNDS', 'BENCH_CLIENTS', 'BENCH_MESSAGES', 'BENCH_MODES', 'BENCH_ONLY'].some(
  (name) => process.env[name] !== undefined,
);
if (filtered) {
  console.log('A filtered run: bench/results.json and the README table are left as they are.');
  process.exit(0);
}
const file = new URL('./results.json', import.meta.url);
writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);

// The README table, aligned so biome's markdown check has nothing to say.
const rows = results.map((result) => {
  const framed = results.find((other) => other.case === result.case && other.subject === 'ws, framed once');
  const socketIo = results.find((other) => other.case === result.case && other.subject === 'socket.io 4');
  // Above 1 is better in every column: throughput over the base's, or the base's CPU over ours.
  const cpuRow = result.unit === 'ns/delivery';
  const ratio = (base: typeof framed) =>
    base ? `${(cpuRow ? base.median / result.median : result.median / base.median).toFixed(2)}×` : '';
  return [result.case, result.subject, `${result.median} ${result.unit}`, ratio(framed), ratio(socketIo)];
});
const header = ['case', 'subject', 'median', 'vs framed once', 'vs socket.io'];
const widths = header.map((title, column) =>
  Math.max(title.length, ...rows.map((row) => row[column]!.length)),
);
const line = (cells: string[], right: boolean[]) =>
  `| ${cells.map((cell, column) => (right[column] ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!))).join(' | ')} |`;
const align = [false, false, true, true, true];
const table = [
  `Node ${process.version}, 2 cores shared with other work, 127.0.0.1; ${messages} messages of 100 B per round, clients in a second process; ${rounds} interleaved rounds, each on a new server after ${warmupMessages} warm-up messages, medians. Server CPU: the sending process's user and system time per delivery (its ratios: the other's CPU over this one's, above 1 is less).`,
  '',
  line(header, align),
  `| ${widths.map((width, column) => (align[column] ? `${'-'.repeat(width - 1)}:` : '-'.repeat(width))).join(' | ')} |`,
  ...rows.map((row) => line(row, align)),
].join('\n');
const readmePath = new URL('../README.md', import.meta.url);
const readme = readFileSync(readmePath, 'utf8');
writeFileSync(
  readmePath,
  readme.replace(
    /<!-- bench:start -->[\s\S]*<!-- bench:end -->/,
    `<!-- bench:start -->\n${table}\n<!-- bench:end -->`,
  ),
);
process.exit(0);
