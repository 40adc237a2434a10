import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { requestLogger } from './adapters/fetch.js';
import { createLogger, type LoggerOptions } from './create-logger.js';
import { wrapHandler } from './middleware-context.js';
import { allowRequestLine, type RequestLineLevel, writeRequestLine } from './request-line.js';

// The line's fields: writeRequestLine's parameters after the logger, the level and the message.
type Fields =
  Parameters<typeof writeRequestLine> extends [object, RequestLineLevel, string, ...infer Rest]
    ? Rest
    : never;

function capture(options: LoggerOptions = {}) {
  const chunks: string[] = [];
  const logger = createLogger({ ...options, destination: { write: (chunk: string) => chunks.push(chunk) } });
  return { logger, chunks };
}

// What request-scope.ts wrote before the string path: logger[level](line, message).
function lineObject(fields: Fields): Record<string, unknown> {
  const [requestId, traceId, spanId, method, route, path, status, durationMs, aborted] = fields;
  const line: Record<string, unknown> = {
    requestId,
    traceId,
    spanId,
    method,
    route,
    path,
    status,
    durationMs,
  };
  if (aborted) line.aborted = true;
  return line;
}

const ids = [
  '1f41c84c-3d5b-4b52-8edf-79726e204764',
  '4bf92f3577b34da6a3ce929d0e0e4736',
  '00f067aa0ba902b7',
] as const;
const cases: [string, RequestLineLevel, string, Fields][] = [
  [
    'a completed request',
    'info',
    'request completed',
    [...ids, 'GET', '/orders/:id', '/orders/42', 200, 1.23, false],
  ],
  [
    'no span and no route',
    'warn',
    'request completed',
    [ids[0], undefined, undefined, 'POST', undefined, '/missing', 404, 0, false],
  ],
  ['a failed request', 'error', 'request failed', [...ids, 'DELETE', '/a', '/a', 503, 12.5, false]],
  [
    'an aborted request',
    'warn',
    'request aborted',
    ['req:7', ...ids.slice(1), 'GET', '/', '/', 499, 1000.01, true],
  ] as [string, RequestLineLevel, string, Fields],
];

afterEach(() => {
  vi.restoreAllMocks();
});

describe('writeRequestLine', () => {
  const loggerOptions: [string, LoggerOptions][] = [
    ['defaults', {}],
    ['a name, no base, redaction off', { name: 'api', base: null, redact: false }],
    [
      'extra redaction words and a serializer of another key',
      { redact: { keys: ['ssn'] }, serializers: { user: (u: never) => u } },
    ],
  ];
  for (const [optionsName, options] of loggerOptions) {
    for (const [name, level, message, fields] of cases) {
      it(`writes the bytes pino writes for ${name} (${optionsName})`, () => {
        vi.spyOn(Date, 'now').mockReturnValue(Date.UTC(2026, 11, 1, 12, 0, 0, 123));
        const { logger, chunks } = capture(options);
        expect(writeRequestLine(logger, level, message, ...fields)).toBe(true);
        logger[level](lineObject(fields), message);
        expect(chunks).toHaveLength(2);
        expect(chunks[0]).toBe(chunks[1]);
      });
    }
  }

  it('steps aside for a string pino would escape, and for values it cannot promise to write alike', () => {
    const { logger, chunks } = capture();
    const plain: Fields = [...ids, 'GET', '/', '/', 200, 1, false];
    const refused: Fields[] = [
      ...['/say/"hi"', '/back\\slash', '/tab\there', '/caf\u00e9', '/\ud800'].map(
        (path): Fields => [...ids, 'GET', undefined, path, 200, 1, false],
      ),
      ['id"x', ids[1], ids[2], 'GET', undefined, '/', 200, 1, false],
      [...ids, 'GET', '/"', '/', 200, 1, false],
      [...ids, 'GET', '/', '/', 200, Number.NaN, false],
    ];
    for (const fields of refused) {
      expect(writeRequestLine(logger, 'info', 'request completed', ...fields), String(fields)).toBe(false);
    }
    expect(chunks).toEqual([]);
    // The same logger takes a plain line: the refusals above are the values', not the logger's.
    expect(writeRequestLine(logger, 'info', 'request completed', ...plain)).toBe(true);
    expect(chunks).toHaveLength(1);
  });

  it('steps aside for loggers whose configuration it does not know', () => {
    const fields: Fields = [...ids, 'GET', '/', '/', 200, 1, false];
    const foreign = pino({}, { write: () => undefined });
    expect(writeRequestLine(foreign, 'info', 'request completed', ...fields)).toBe(false);
    for (const options of [
      { pino: {} },
      { serializers: { path: (path: never) => path } },
      // `path` is secret by this rule, so the line must go through the redactor.
      { redact: { keys: ['path'] } },
    ] satisfies LoggerOptions[]) {
      const { logger, chunks } = capture(options);
      expect(writeRequestLine(logger, 'info', 'request completed', ...fields)).toBe(false);
      expect(chunks).toEqual([]);
    }
    const { logger } = capture();
    expect(writeRequestLine(logger.child({ tenant: 'a' }), 'info', 'request completed', ...fields)).toBe(
      false,
    );
  });

  it('steps aside for a pino with a mixin or hooks, as instrumentation that patches pino adds', () => {
    const fields: Fields = [...ids, 'GET', '/', '/', 200, 1, false];
    for (const options of [
      { mixin: () => ({ trace_id: 'x' }) },
      { hooks: { streamWrite: (line: string) => line } },
      { messageKey: 'message' },
    ]) {
      const logger = pino(options, { write: () => undefined });
      allowRequestLine(logger, undefined);
      expect(writeRequestLine(logger, 'info', 'request completed', ...fields)).toBe(false);
    }
    const plain = pino({}, { write: () => undefined });
    allowRequestLine(plain, undefined);
    expect(writeRequestLine(plain, 'info', 'request completed', ...fields)).toBe(true);
  });

  it('writes nothing at a disabled level, and steps aside once a log method was replaced', () => {
    const fields: Fields = [...ids, 'GET', '/', '/', 200, 1, false];
    const { logger, chunks } = capture({ level: 'warn' });
    expect(writeRequestLine(logger, 'info', 'request completed', ...fields)).toBe(false);
    const spied = capture();
    const spy = vi.spyOn(spied.logger, 'info');
    expect(writeRequestLine(spied.logger, 'info', 'request completed', ...fields)).toBe(false);
    expect(spy).not.toHaveBeenCalled();
    expect(chunks).toEqual([]);
    expect(spied.chunks).toEqual([]);
  });

  it('steps aside while a pino_asJson diagnostics subscriber listens', async () => {
    const { tracingChannel } = await import('node:diagnostics_channel');
    const channel = tracingChannel('pino_asJson');
    const handlers = { start() {}, end() {}, asyncStart() {}, asyncEnd() {}, error() {} };
    channel.subscribe(handlers);
    try {
      const { logger } = capture();
      expect(
        writeRequestLine(logger, 'info', 'request completed', ...ids, 'GET', '/', '/', 200, 1, false),
      ).toBe(false);
    } finally {
      channel.unsubscribe(handlers);
    }
  });
});

describe('requestLogger lines through the string path', () => {
  function serve(options: LoggerOptions) {
    const chunks: string[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        chunks.push(chunk.toString());
        callback();
      },
    });
    const logger = createLogger({ ...options, destination });
    let next = 0;
    const handler = wrapHandler(
      [requestLogger({ logger, generateRequestId: () => `id-${++next}` })],
      (request) => new Response('ok', { status: new URL(request.url).pathname === '/missing' ? 404 : 200 }),
    );
    return { handler, chunks };
  }

  it('writes the same lines as the logger without it, for the same requests', async () => {
    vi.spyOn(Date, 'now').mockReturnValue(Date.UTC(2026, 11, 1, 12, 0, 0, 5));
    // Both clocks stand still, so both loggers see the same time and duration.
    vi.spyOn(performance, 'now').mockReturnValue(1000);
    // `pino: {}` changes no option, and takes the logger off the string path.
    const fast = serve({ name: 'api' });
    const generic = serve({ name: 'api', pino: {} });
    const requests = () => [
      new Request('http://localhost/orders/42?page=1'),
      new Request('http://localhost/missing', {
        headers: { traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' },
      }),
      new Request('http://localhost/say/%22hi%22', { headers: { 'x-request-id': 'from-client' } }),
    ];
    for (const { handler } of [fast, generic]) for (const request of requests()) await handler(request);
    // Span ids (and trace ids of new traces) are random: the same placeholder in both, every other byte compared.
    const sameIds = (chunks: string[]) =>
      chunks.map((chunk) => chunk.replace(/"(traceId|spanId)":"[0-9a-f]+"/g, '"$1":"…"'));
    expect(fast.chunks).toHaveLength(3);
    expect(sameIds(fast.chunks)).toEqual(sameIds(generic.chunks));
    const [first] = fast.chunks;
    expect(JSON.parse(first ?? '')).toMatchObject({
      level: 30,
      name: 'api',
      requestId: 'id-1',
      path: '/orders/42',
    });
  });
});
