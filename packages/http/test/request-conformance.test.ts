// ctx.request on node:http against a real undici Request: each row of test/vectors/request-conformance.json
// is sent as raw bytes over a socket to a real node:http server, where a probe runs on ctx.request; the same
// bytes are parsed here into `new Request(url, { method, headers, body, duplex: 'half' })` and probed the same
// way. The observations must be equal (or, for rows undici cannot match by design, equal the row's `view`).
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, json } from '../src/index.js';
import { type RunningServer, serve } from '../src/node.js';

interface Row {
  name: string;
  probe: string;
  head: string[];
  body?: string;
  chunked?: boolean;
  view?: Record<string, unknown>;
}

const table = JSON.parse(
  readFileSync(new URL('./vectors/request-conformance.json', import.meta.url), 'utf8'),
) as { bodyLimit: number; rows: Row[] };

type Observation = Record<string, unknown>;

const builtinErrors = new Set(['TypeError', 'SyntaxError', 'RangeError', 'Error', 'DOMException']);

/** An error as the table compares it: its class, and its status when it is an HTTP error. */
function failure(error: unknown): Observation {
  const name = (error as Error)?.constructor?.name ?? typeof error;
  if (builtinErrors.has(name)) return { error: name };
  return { error: name, status: (error as { status?: number }).status };
}

async function attempt(run: () => unknown): Promise<unknown> {
  try {
    return await run();
  } catch (error) {
    return failure(error);
  }
}

async function readStreamText(stream: ReadableStream<Uint8Array>): Promise<string> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** What each probe observes of a Request; run on ctx.request (server) and on the real Request (here). */
const probes: Record<string, (request: Request) => Promise<Observation>> = {
  async head(request) {
    return {
      instance: request instanceof Request,
      tag: Object.prototype.toString.call(request),
      method: request.method,
      url: request.url,
      headers: [...request.headers],
      multi: request.headers.get('X-MULTI'),
      cookie: request.headers.get('cookie'),
      setCookie: request.headers.getSetCookie(),
      mixed: request.headers.get('x-mixed-case'),
      has: request.headers.has('Accept'),
      bodyIsNull: request.body === null,
      bodyUsed: request.bodyUsed,
      signal: request.signal instanceof AbortSignal && !request.signal.aborted,
    };
  },
  async headers(request) {
    const headers = request.headers;
    const before = {
      instance: headers instanceof Headers,
      tag: Object.prototype.toString.call(headers),
      get: [
        headers.get('x-multi'),
        headers.get('X-Absent'),
        headers.get('set-cookie'),
        headers.get('x-nbsp'),
      ],
      has: [headers.has('COOKIE'), headers.has('x-absent')],
      badName: await attempt(() => headers.get('bad name')),
      copy: [...new Headers(headers)],
      forEach: [] as string[],
    };
    headers.forEach((value, key, parent) => {
      before.forEach.push(`${key}=${value}:${parent === headers}`);
    });
    headers.set('x-set', 'one');
    headers.append('x-multi', 'c');
    headers.delete('cookie');
    return {
      before,
      after: [...headers],
      afterGet: headers.get('x-multi'),
      keys: [...headers.keys()],
      values: [...headers.values()],
      rebuilt: [...new Request('http://other.example/', { headers }).headers],
    };
  },
  async textTwice(request) {
    const first = await attempt(() => request.text());
    const used = request.bodyUsed;
    const second = await attempt(() => request.text());
    return { first, used, second };
  },
  async json(request) {
    return { value: await attempt(() => request.json()), used: request.bodyUsed };
  },
  async binary(request) {
    const copy = request.clone();
    const third = request.clone();
    const buffer = await request.arrayBuffer();
    const bytes = await copy.bytes();
    const blob = await third.blob();
    return {
      buffer: buffer instanceof ArrayBuffer ? [...new Uint8Array(buffer)] : 'not an ArrayBuffer',
      bytes: Object.getPrototypeOf(bytes) === Uint8Array.prototype ? [...bytes] : 'not a plain Uint8Array',
      blob: { type: blob.type, size: blob.size, text: await blob.text() },
    };
  },
  async formData(request) {
    const form = await attempt(() => request.formData());
    if (!(form instanceof FormData)) return { form };
    const entries: unknown[] = [];
    for (const [key, value] of form) {
      entries.push(
        typeof value === 'string'
          ? [key, value]
          : [key, { name: value.name, type: value.type, text: await value.text() }],
      );
    }
    return { entries, used: request.bodyUsed };
  },
  async cloneBoth(request) {
    const clone = request.clone();
    return {
      clone: [clone instanceof Request, clone.method, clone.url, [...clone.headers]],
      texts: [await request.text(), await clone.text()],
      used: [request.bodyUsed, clone.bodyUsed],
    };
  },
  async cloneAfterRead(request) {
    await request.text();
    return { clone: await attempt(() => request.clone()), used: request.bodyUsed };
  },
  async stream(request) {
    const body = request.body;
    if (body === null) return { body: null };
    const text = await attempt(() => readStreamText(body));
    return { text, used: request.bodyUsed, textAfter: await attempt(() => request.text()) };
  },
  async rebuild(request) {
    const overridden = new Request(request.clone(), { method: 'PUT', headers: { 'x-b': '2' } });
    const copy = new Request(request);
    return {
      copy: [copy.method, copy.url, [...copy.headers], await copy.text()],
      overridden: [overridden.method, [...overridden.headers], await overridden.text()],
      originalUsed: request.bodyUsed,
    };
  },
  async rebuildAfterRead(request) {
    await request.arrayBuffer();
    return { rebuilt: await attempt(() => new Request(request)) };
  },
  async members(request) {
    return {
      cache: request.cache,
      credentials: request.credentials,
      destination: request.destination,
      integrity: request.integrity,
      keepalive: request.keepalive,
      mode: request.mode,
      redirect: request.redirect,
      referrer: request.referrer,
      referrerPolicy: request.referrerPolicy,
      duplex: (request as { duplex?: string }).duplex,
    };
  },
  async traceable(request) {
    return {
      method: request.method,
      url: request.url,
      headers: [...request.headers],
      instance: request instanceof Request,
      clone: await attempt(() => request.clone()),
      cache: await attempt(() => request.cache),
    };
  },
};

/** The raw bytes of a row, with Content-Length (or chunked framing) and Connection: close. */
function rawBytes(row: Row): Buffer {
  const body = Buffer.from(row.body ?? '', 'utf8');
  const head = [...row.head, 'Connection: close'];
  if (row.chunked) {
    const chunks: Buffer[] = [];
    for (let offset = 0; offset < body.length; offset += 40) {
      const chunk = body.subarray(offset, offset + 40);
      chunks.push(Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n'));
    }
    chunks.push(Buffer.from('0\r\n\r\n'));
    return Buffer.concat([Buffer.from(`${head.join('\r\n')}\r\n\r\n`, 'latin1'), ...chunks]);
  }
  if (row.body !== undefined) head.push(`Content-Length: ${body.length}`);
  return Buffer.concat([Buffer.from(`${head.join('\r\n')}\r\n\r\n`, 'latin1'), body]);
}

/** The same bytes parsed here (not by node) into a real undici Request. */
function realRequest(row: Row): Request {
  const [method, target] = (row.head[0] as string).split(' ') as [string, string];
  const headers: Array<[string, string]> = [];
  for (const line of [...row.head.slice(1), 'Connection: close']) {
    const colon = line.indexOf(':');
    // RFC 9112 §5.1: optional whitespace (space, tab) around the value; nothing else is trimmed.
    headers.push([line.slice(0, colon), line.slice(colon + 1).replace(/^[ \t]+|[ \t]+$/g, '')]);
  }
  const bytes = Buffer.from(row.body ?? '', 'utf8');
  if (row.body !== undefined && !row.chunked) headers.push(['Content-Length', String(bytes.length)]);
  const host = headers.find(([name]) => name.toLowerCase() === 'host')?.[1] ?? 'localhost';
  const url = target.startsWith('/') ? `http://${host}${target}` : target;
  const hasBody = method !== 'GET' && method !== 'HEAD';
  return new Request(url, {
    method,
    headers,
    ...(hasBody ? { body: new Uint8Array(bytes), duplex: 'half' } : {}),
  } as RequestInit);
}

/** Sends raw bytes and resolves with the status and body of the (Connection: close) response. */
function send(port: number, bytes: Buffer): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error('no response within 5 s'));
    }, 5000);
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('close', () => {
      clearTimeout(timer);
      const text = Buffer.concat(chunks).toString('utf8');
      resolve({ status: Number(text.slice(9, 12)), body: text.slice(text.indexOf('\r\n\r\n') + 4) });
    });
    socket.on('error', reject);
    socket.write(bytes);
  });
}

describe('ctx.request on node:http behaves like a real undici Request', () => {
  let server: RunningServer;

  beforeAll(async () => {
    const app = createApp({ bodyLimit: table.bodyLimit });
    app.use(async (ctx) => {
      const probe = probes[ctx.header('x-probe') ?? ''];
      if (probe === undefined) return json({ error: 'unknown probe' }, { status: 400 });
      return json(await probe(ctx.request));
    });
    // TRACE reaches middleware only where a route serves it (elsewhere the app answers 501 before).
    app.on('TRACE', '/t', () => json({ error: 'the probe middleware answers first' }));
    server = await serve(app, { port: 0, hostname: '127.0.0.1' });
  });

  afterAll(() => server.close({ timeout: 1000 }));

  it.each(table.rows.map((row) => [row.name, row] as const))('%s', async (_name, row) => {
    const probe = probes[row.probe];
    if (probe === undefined) throw new Error(`row "${row.name}" names an unknown probe ${row.probe}`);
    const withProbe = { ...row, head: [...row.head, `X-Probe: ${row.probe}`] };
    const response = await send(server.port, rawBytes(withProbe));
    expect(response.status, response.body).toBe(200);
    const viewSaw = JSON.parse(response.body) as Observation;
    if (row.view !== undefined) {
      expect(viewSaw).toEqual(row.view);
      return;
    }
    const realSaw = JSON.parse(JSON.stringify(await probe(realRequest(withProbe)))) as Observation;
    expect(viewSaw).toEqual(realSaw);
  });
});
