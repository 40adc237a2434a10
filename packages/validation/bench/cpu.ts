// Server CPU per validated POST, for a shared, loaded machine: every contender of bench/servers.ts runs
// at once (pinned to core 0) and one pipelined client (this process, core 1 via taskset) sends bursts
// to each in turn, so all of them see the same neighbours' load; each burst's CPU comes from the server
// itself (process.cpuUsage). `node --import tsx bench/cpu.ts [rounds] [burst]`; prints ratios to Fastify.
import { spawn } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { contenders } from './http.js';
import { median } from './median.js';
import { sampleOrder } from './payload.js';

const rounds = Number(process.argv[2] ?? 20);
const burst = Number(process.argv[3] ?? 2000);
const depth = 16;
const serversFile = fileURLToPath(new URL('./servers.ts', import.meta.url));
const { passwordHash: _never, ...order } = sampleOrder();
const body = JSON.stringify(order);

interface Server {
  name: string;
  socket: Socket;
  batch: Buffer;
  cpu(): Promise<number>;
  close(): void;
  samples: number[];
}

async function start(name: string, port: number): Promise<Server> {
  const child = spawn(
    'taskset',
    ['-c', '0', process.execPath, '--import', 'tsx', serversFile, name, String(port)],
    {
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
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
  const socket = connect(port, '127.0.0.1');
  await new Promise((resolve) => socket.once('connect', resolve));
  const request = `POST /orders HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
  return {
    name,
    socket,
    batch: Buffer.from(request.repeat(depth)),
    async cpu() {
      child.stdin.write('cpu\n');
      return Number((await waitFor(/cpu (\d+)\n/))[1]);
    },
    close() {
      socket.destroy();
      child.kill('SIGINT');
    },
    samples: [],
  };
}

// Sends `count` requests, `2 * depth` in flight; every answer must be a 200.
function send(server: Server, count: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let sent = 0;
    let answered = 0;
    let tail = '';
    const onData = (chunk: Buffer) => {
      const text = tail + chunk.toString('latin1');
      for (let at = text.indexOf('HTTP/1.1 '); at !== -1; at = text.indexOf('HTTP/1.1 ', at + 9)) {
        if (!text.startsWith('HTTP/1.1 200', at))
          reject(new Error(`${server.name}: ${text.slice(at, at + 200)}`));
        answered++;
      }
      tail = text.slice(-12);
      while (sent - answered < 2 * depth && sent < count) {
        server.socket.write(server.batch);
        sent += depth;
      }
      if (answered >= count) {
        server.socket.off('data', onData);
        resolve();
      }
    };
    server.socket.on('data', onData);
    onData(Buffer.alloc(0));
  });
}

const servers: Server[] = [];
try {
  for (const [index, name] of contenders.entries()) servers.push(await start(name, 41_030 + index));
  for (const server of servers) await send(server, 8000); // warm-up: JIT
  for (let round = 0; round < rounds; round++) {
    for (let index = 0; index < servers.length; index++) {
      const server = servers[(index + round) % servers.length] as Server;
      const before = await server.cpu();
      await send(server, burst);
      server.samples.push(((await server.cpu()) - before) / burst);
    }
  }
  const reference = servers.find((server) => server.name.startsWith('fastify 5 (ajv'));
  for (const server of servers) {
    const cpu = median(server.samples);
    const ratio = reference === undefined ? '' : `${(median(reference.samples) / cpu).toFixed(2)}× Fastify`;
    console.log(`${server.name.padEnd(34)} ${cpu.toFixed(1).padStart(6)} µs CPU per request  ${ratio}`);
  }
} finally {
  for (const server of servers) server.close();
}
