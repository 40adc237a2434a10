// Server CPU per validated POST, for a shared, loaded machine: every contender of bench/servers.ts runs
// at once (pinned to core 0) and one client (this process, core 1 via taskset) sends bursts
// to each in turn, so all of them see the same neighbours' load; each burst's CPU comes from the server
// itself (process.cpuUsage). Prints each server's median and its ratio to Fastify, paired by round.
// `node --import tsx bench/cpu.ts [rounds] [burst] [first port] [connections]`
import { spawn } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { contenders, pinned } from './http.js';
import { median, roundRatios } from './median.js';
import { sampleOrder } from './payload.js';

const rounds = Number(process.argv[2] ?? 20);
const burst = Number(process.argv[3] ?? 2000);
const firstPort = Number(process.argv[4] ?? 41_030);
// One pipelined connection (16 requests a batch), or, given a count, that many connections with one
// request in flight each, as autocannon -c 50 sends them (one request a packet, one event-loop turn each).
const connections = Number(process.argv[5] ?? 1);
const depth = connections === 1 ? 16 : 1;
const inFlight = connections === 1 ? 2 * depth : 1;
const serversFile = fileURLToPath(new URL('./servers.ts', import.meta.url));
const { passwordHash: _never, ...order } = sampleOrder();
const body = JSON.stringify(order);

interface Server {
  name: string;
  sockets: Socket[];
  batch: Buffer;
  cpu(): Promise<number>;
  close(): void;
  samples: number[];
}

async function start(name: string, port: number): Promise<Server> {
  const [command, args] = pinned(0, ['--import', 'tsx', serversFile, name, String(port)]);
  const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'inherit'] });
  let output = '';
  let wake: (() => void) | undefined;
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    output += chunk;
    wake?.();
  });
  const waitFor = async (pattern: RegExp): Promise<RegExpMatchArray> => {
    for (;;) {
      const match = output.match(pattern);
      if (match !== null) {
        output = output.slice((match.index ?? 0) + match[0].length);
        return match;
      }
      if (child.exitCode !== null) throw new Error(`${name} exited`);
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, 100);
      });
    }
  };
  await waitFor(/ready\n/);
  const sockets: Socket[] = [];
  for (let index = 0; index < connections; index++) {
    const socket = connect(port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    sockets.push(socket);
  }
  const request = `POST /orders HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
  return {
    name,
    sockets,
    batch: Buffer.from(request.repeat(depth)),
    async cpu() {
      child.stdin.write('cpu\n');
      return Number((await waitFor(/cpu (\d+)\n/)).at(1));
    },
    close() {
      for (const socket of sockets) socket.destroy();
      child.kill('SIGINT');
    },
    samples: [],
  };
}

// Sends about `count` requests over one connection, `inFlight` at a time; every answer must be a 200.
function sendOn(name: string, socket: Socket, batch: Buffer, count: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let sent = 0;
    let answered = 0;
    let tail = '';
    const onData = (chunk: Buffer) => {
      const text = tail + chunk.toString('latin1');
      for (let at = text.indexOf('HTTP/1.1 '); at !== -1; at = text.indexOf('HTTP/1.1 ', at + 9)) {
        if (!text.startsWith('HTTP/1.1 200', at)) reject(new Error(`${name}: ${text.slice(at, at + 200)}`));
        answered++;
      }
      tail = text.slice(-12);
      while (sent - answered < inFlight && sent < count) {
        socket.write(batch);
        sent += depth;
      }
      if (answered >= count) {
        socket.off('data', onData);
        resolve();
      }
    };
    socket.on('data', onData);
    onData(Buffer.alloc(0));
  });
}

// Sends `count` requests (rounded up to a whole number per connection) over the server's connections;
// answers how many were sent.
async function send(server: Server, count: number): Promise<number> {
  const each = Math.ceil(count / server.sockets.length);
  await Promise.all(server.sockets.map((socket) => sendOn(server.name, socket, server.batch, each)));
  return each * server.sockets.length;
}

/** One server's result: median CPU per request, and its ratio to Fastify paired by round. */
export interface CpuResult {
  name: string;
  cpu: number;
  ratio?: { median: number; q25: number; q75: number };
}

// The ratio to Fastify round by round, as the median and quartiles of those ratios.
function paired(server: Server, reference: Server | undefined): CpuResult['ratio'] {
  const ratios = reference === undefined ? [] : roundRatios(server.samples, reference.samples, false);
  if (ratios.length === 0) return undefined;
  const quartile = (at: number) => ratios[Math.round(at * (ratios.length - 1))] as number;
  return { median: median(ratios), q25: quartile(0.25), q75: quartile(0.75) };
}

const servers: Server[] = [];
try {
  for (const [index, name] of contenders.entries()) servers.push(await start(name, firstPort + index));
  for (const server of servers) await send(server, 8000); // warm-up: JIT
  for (let round = 0; round < rounds; round++) {
    for (let index = 0; index < servers.length; index++) {
      const server = servers[(index + round) % servers.length] as Server;
      const before = await server.cpu();
      const sent = await send(server, burst);
      server.samples.push(((await server.cpu()) - before) / sent);
    }
  }
  const reference = servers.find((server) => server.name.startsWith('fastify 5 (ajv'));
  const results: CpuResult[] = servers.map((server) => ({
    name: server.name,
    cpu: median(server.samples),
    ratio: paired(server, reference),
  }));
  for (const { name, cpu, ratio } of results) {
    const against =
      ratio === undefined
        ? ''
        : `${ratio.median.toFixed(3)}× Fastify (paired by round; quartiles ${ratio.q25.toFixed(3)}–${ratio.q75.toFixed(3)})`;
    console.log(`${name.padEnd(34)} ${cpu.toFixed(1).padStart(6)} µs CPU per request  ${against}`);
  }
  // bench/index.ts runs this script pinned to its own core and reads this line.
  if (process.env.BENCH_JSON === '1') console.log(`results ${JSON.stringify(results)}`);
} finally {
  for (const server of servers) server.close();
}
