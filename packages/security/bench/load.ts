// The HTTP load generator, in its own process (pinned to core 1 by bench/index.ts where taskset
// exists): `connections` keep-alive sockets, one GET / in flight on each, for `ms` milliseconds.
// Raw sockets and a minimal response reader (status line, Content-Length, body), so the client spends
// far less CPU per response than the servers it measures (a node:http client spent more than they did).
// Reads "<port> <connections> <ms>" lines on stdin; answers each with one JSON line:
// { "responses": n, "seconds": s, "errors": non-200 answers or socket errors }.
import { connect, type Socket } from 'node:net';
import { createInterface } from 'node:readline';

const request = Buffer.from(
  'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: application/json\r\n\r\n',
  'latin1',
);
const contentLength = /\r\ncontent-length: *(\d+)/i;

interface Round {
  responses: number;
  errors: number;
}

/** One connection: sends the next request when the previous answer is complete, until `deadline`. */
function drive(port: number, deadline: number, round: Round): Promise<void> {
  return new Promise((resolve) => {
    const socket: Socket = connect(port, '127.0.0.1');
    socket.setNoDelay(true);
    let pending = '';
    const finish = () => {
      socket.destroy();
      resolve();
    };
    socket.on('connect', () => socket.write(request));
    socket.on('error', () => {
      round.errors++;
      finish();
    });
    socket.on('data', (chunk: Buffer) => {
      pending += chunk.toString('latin1');
      for (;;) {
        const end = pending.indexOf('\r\n\r\n');
        if (end === -1) return;
        const length = contentLength.exec(pending.slice(0, end + 2));
        if (length === null) {
          // Only Content-Length answers are expected (chunked would mean the bench servers changed).
          round.errors++;
          return finish();
        }
        const total = end + 4 + Number(length[1]);
        if (pending.length < total) return;
        if (pending.slice(9, 12) === '200') round.responses++;
        else round.errors++;
        pending = pending.slice(total);
        if (performance.now() >= deadline) return finish();
        socket.write(request);
      }
    });
  });
}

createInterface({ input: process.stdin }).on('line', async (line) => {
  const [port, connections, ms] = line.split(' ').map(Number) as [number, number, number];
  const round: Round = { responses: 0, errors: 0 };
  const started = performance.now();
  const deadline = started + ms;
  await Promise.all(Array.from({ length: connections }, () => drive(port, deadline, round)));
  const seconds = (performance.now() - started) / 1000;
  process.stdout.write(`${JSON.stringify({ ...round, seconds })}\n`);
});
