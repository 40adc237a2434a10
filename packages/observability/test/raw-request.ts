// Test scaffolding: send exact bytes over a socket (invalid UTF-8, a body cut short, odd targets) and
// read the answer, where fetch would refuse or normalise the request; and a client that leaves mid-request.
import net from 'node:net';

/** What came back: status, lower-case headers, body text. */
export interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Writes `head` (CRLF lines, without the blank line) and `body` to host:port and reads the answer. */
export async function rawRequest(
  port: number,
  head: string[],
  body: Uint8Array | string = '',
): Promise<RawAnswer> {
  const socket = net.connect(port, '127.0.0.1');
  socket.setTimeout(5_000, () => socket.destroy(new Error('no answer within 5 s')));
  const chunks: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => chunks.push(chunk));
  socket.write(`${[...head, 'connection: close'].join('\r\n')}\r\n\r\n`);
  socket.end(body);
  await new Promise<void>((resolve, reject) => {
    socket.on('close', () => resolve());
    socket.on('error', reject);
  });
  return parseAnswer(Buffer.concat(chunks).toString('latin1'));
}

/**
 * GETs `url` and drops the connection once `entered` resolves, i.e. once the server's route has the
 * request: a fixed client timeout could fire before a loaded server got it, and then nothing is logged.
 */
export async function abandonOnceEntered(
  url: string,
  headers: Record<string, string>,
  entered: Promise<void>,
): Promise<void> {
  const client = new AbortController();
  const sent = fetch(url, { headers, signal: client.signal }).catch(() => undefined);
  await entered;
  client.abort();
  await sent;
}

/** Writes a request whose body stops short of its Content-Length, then drops the connection. */
export async function abortMidBody(port: number, head: string[], partialBody: string): Promise<void> {
  const socket = net.connect(port, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    socket.on('connect', resolve);
    socket.on('error', reject);
  });
  socket.write(`${head.join('\r\n')}\r\n\r\n${partialBody}`);
  await new Promise((resolve) => setTimeout(resolve, 50));
  socket.destroy();
}

function parseAnswer(text: string): RawAnswer {
  const end = text.indexOf('\r\n\r\n');
  const [statusLine = '', ...lines] = text.slice(0, end).split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  let bytes = text.slice(end + 4);
  if (headers['transfer-encoding'] === 'chunked') bytes = dechunk(bytes);
  const body = Buffer.from(bytes, 'latin1').toString('utf8');
  return { status: Number(statusLine.split(' ')[1]), headers, body };
}

function dechunk(text: string): string {
  let out = '';
  let rest = text;
  for (;;) {
    const lineEnd = rest.indexOf('\r\n');
    const size = Number.parseInt(rest.slice(0, lineEnd), 16);
    if (!(size > 0)) return out;
    out += rest.slice(lineEnd + 2, lineEnd + 2 + size);
    rest = rest.slice(lineEnd + 2 + size + 2);
  }
}
