// Why ctx.request and the helpers' Responses are lazy on node:http: what building the undici objects
// would cost per request (a Request from a browser's raw headers, with the AbortSignal the real path gives
// it; a JSON Response read back as text), next to what our lazy versions cost, measured in-process. The
// lazy rows go through NodeRequestSource.request(), exactly what ctx.request does on node.

import type { IncomingMessage, ServerResponse } from 'node:http';
import { NodeRequestSource } from '../src/node-request.js';
import { fastState, json, respond } from '../src/response.js';

const rawHeaders = [
  'Host',
  'localhost:3000',
  'User-Agent',
  'Mozilla/5.0 (X11; Linux x86_64) Firefox/120.0',
  'Accept',
  'application/json',
  'Accept-Language',
  'en-US,en;q=0.5',
  'Accept-Encoding',
  'gzip, deflate, br',
  'Connection',
  'keep-alive',
  'Cookie',
  'session=abc; theme=dark',
  'Sec-Fetch-Mode',
  'cors',
];

/** What ctx.request cost before it was a view: Headers copied, an AbortController, new Request. */
function buildRequest(): Request {
  const headers = new Headers();
  for (let index = 0; index < rawHeaders.length; index += 2) {
    headers.append(rawHeaders[index] as string, rawHeaders[index + 1] as string);
  }
  const signal = new AbortController().signal;
  return new Request('http://localhost:3000/users/42?tab=posts', { method: 'GET', headers, signal });
}

const fakeReq = {
  method: 'GET',
  url: '/users/42?tab=posts',
  headers: { host: 'localhost:3000', accept: 'application/json' },
  rawHeaders,
  socket: {},
} as unknown as IncomingMessage;
// The signal listens for the response's 'close'; a no-op listener keeps the measurement to our own code.
const fakeRes = { destroyed: false, writableFinished: false, once() {} } as unknown as ServerResponse;
const request = () => new NodeRequestSource(fakeReq, fakeRes).request(1024 * 1024);

/** What node:http's writeHead got before response.headers was a view: the undici Headers copied back. */
function headersForNode(headers: Headers): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  headers.forEach((value, name) => {
    if (name !== 'set-cookie') out[name] = value;
  });
  const cookies = headers.getSetCookie();
  if (cookies.length > 0) out['set-cookie'] = cookies;
  return out;
}

// What @plinth/handlers answers with: its own JSON string, Content-Type and Content-Length already set.
const preparedBody = JSON.stringify({ id: '42', name: 'Ada Lovelace', email: 'ada@example.com' });
const preparedInit = {
  status: 200,
  headers: {
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(preparedBody)),
  },
};

/** Nanoseconds per call of `make` (median of 5 runs of 20 000, after one warm-up run). */
function cost(make: () => unknown): number {
  const samples: number[] = [];
  let sink: unknown;
  for (let run = 0; run < 6; run++) {
    const start = process.hrtime.bigint();
    for (let index = 0; index < 20_000; index++) sink = make();
    if (run > 0) samples.push(Number(process.hrtime.bigint() - start) / 20_000);
  }
  void sink;
  samples.sort((a, b) => a - b);
  return samples[2] as number;
}

/** Rows for results.json: the undici objects vs the lazy ones, in ns per request. */
export function benchObjectCosts() {
  const rows = [
    {
      case: 'cost per request: the Request',
      subject: 'undici new Request + Headers + AbortSignal',
      make: buildRequest,
    },
    {
      case: 'cost per request: the Request',
      subject: '@plinth/http ctx.request, nothing read',
      make: request,
    },
    {
      case: 'cost per request: the Request',
      subject: '@plinth/http ctx.request, method + url',
      make: () => {
        const view = request();
        return view.method + view.url;
      },
    },
    {
      case: 'cost per request: the Request',
      subject: '@plinth/http ctx.request, url + headers.get',
      make: () => {
        const view = request();
        return view.url + view.headers.get('accept');
      },
    },
    {
      case: 'cost per request: the Request',
      subject: '@plinth/http ctx.request, signal',
      make: () => request().signal,
    },
    {
      case: 'cost per request: a JSON Response',
      subject: 'undici Response.json',
      make: () => Response.json({ hello: 'world' }).headers.get('content-type'),
    },
    {
      case: 'cost per request: a JSON Response',
      subject: '@plinth/http json() (lazy)',
      make: () => json({ hello: 'world' }).status,
    },
    {
      case: 'cost per request: a header set by middleware',
      subject: 'undici Headers, copied back for writeHead',
      make: () => {
        const headers = new Headers({ 'content-type': 'application/json; charset=utf-8' });
        headers.set('x-request-id', '0f8fad5b-d9cb-469f-a165-70867728950e');
        return headersForNode(headers);
      },
    },
    {
      case: 'cost per request: a header set by middleware',
      subject: '@plinth/http json() + response.headers.set (view)',
      make: () => {
        const response = json({ hello: 'world' });
        response.headers.set('x-request-id', '0f8fad5b-d9cb-469f-a165-70867728950e');
        return fastState(response)?.headers;
      },
    },
    {
      case: 'cost per request: a prepared body',
      subject: 'undici new Response(string, init), headers for writeHead',
      make: () => {
        const response = new Response(preparedBody, preparedInit);
        return headersForNode(response.headers) && response.body;
      },
    },
    {
      case: 'cost per request: a prepared body',
      subject: '@plinth/http ctx.respond(string, init) (lazy)',
      make: () => fastState(respond(preparedBody, preparedInit))?.headers,
    },
  ];
  return rows.map(({ make, ...row }) => ({ ...row, median: Math.round(cost(make)), unit: 'ns' }));
}

if (import.meta.url === `file://${process.argv[1]}`) console.table(benchObjectCosts());
