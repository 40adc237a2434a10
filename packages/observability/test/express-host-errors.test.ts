// Express 5's own body parsers (body-parser 2, raw-body 3) meet observability's errorHandler: every
// error they raise for a real malformed request answers Plinth's code, status and title (SEAMS §B).
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorHandler, requestLogger } from '../src/adapters/express.js';
import { captureLogger } from './log-capture.js';
import { abortMidBody, rawRequest } from './raw-request.js';

const capture = captureLogger();
let server: Server;
let port: number;

beforeAll(async () => {
  const app = express();
  app.use(requestLogger({ logger: capture.logger, otel: false }));
  const echo: express.RequestHandler = (req, res) => {
    res.json({ body: req.body as unknown });
  };
  app.post('/json', express.json({ limit: '64b' }), echo);
  app.get('/items/:id', (req, res) => {
    res.json(req.params);
  });
  app.post('/form', express.urlencoded({ limit: '1kb', parameterLimit: 3 }), echo);
  // `depth` is body-parser 2's option; @types/express still describes body-parser 1's.
  app.post('/deep', express.urlencoded({ extended: true, depth: 2 } as { extended: true }), echo);
  app.post('/text', express.text({ limit: '64b' }), echo);
  app.post('/raw', express.raw({ limit: '16b', inflate: false }), (req, res) => {
    res.json({ length: (req.body as Buffer).length });
  });
  // The README's recipe for a strict express.json(): empty bodies and invalid UTF-8 fail as Plinth's do.
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  const strictJson = express.json({
    verify: (_req, _res, body) => {
      try {
        if (body.length === 0) throw new Error('empty');
        utf8.decode(body);
      } catch {
        throw Object.assign(new Error('The body must be non-empty UTF-8 JSON.'), {
          status: 400,
          type: 'entity.parse.failed',
        });
      }
    },
  });
  app.post('/strict', strictJson, echo);
  app.post(
    '/encoded',
    (req, _res, next) => {
      req.setEncoding('utf8'); // a middleware that broke the stream before the parser ran
      next();
    },
    express.json(),
    echo,
  );
  app.use(errorHandler());
  await new Promise<void>((resolve) => {
    server = app.listen(0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

function post(path: string, contentType: string, body: string | Uint8Array, extra: string[] = []) {
  const length = typeof body === 'string' ? Buffer.byteLength(body) : body.length;
  return rawRequest(
    port,
    [
      `POST ${path} HTTP/1.1`,
      'host: x.test',
      `content-type: ${contentType}`,
      `content-length: ${length}`,
      ...extra,
    ],
    body,
  );
}

const cases: Array<[string, () => ReturnType<typeof post>, number, string, string]> = [
  [
    'bad JSON (entity.parse.failed)',
    () => post('/json', 'application/json', '{"a":'),
    400,
    'MALFORMED_BODY',
    'Bad Request',
  ],
  [
    'a JSON scalar under strict (entity.parse.failed)',
    () => post('/json', 'application/json', '"x"'),
    400,
    'MALFORMED_BODY',
    'Bad Request',
  ],
  [
    'an oversized JSON body (entity.too.large)',
    () => post('/json', 'application/json', JSON.stringify({ a: 'x'.repeat(100) })),
    413,
    'CONTENT_TOO_LARGE',
    'Content Too Large',
  ],
  [
    'a JSON charset that is not UTF (charset.unsupported)',
    () => post('/json', 'application/json; charset=latin1', '{}'),
    415,
    'UNSUPPORTED_MEDIA_TYPE',
    'Unsupported Media Type',
  ],
  [
    'an unknown content encoding (encoding.unsupported)',
    () => post('/json', 'application/json', '{}', ['content-encoding: compress']),
    415,
    'UNSUPPORTED_MEDIA_TYPE',
    'Unsupported Media Type',
  ],
  [
    'gzip where inflate is off (encoding.unsupported)',
    () => post('/raw', 'application/octet-stream', 'abc', ['content-encoding: gzip']),
    415,
    'UNSUPPORTED_MEDIA_TYPE',
    'Unsupported Media Type',
  ],
  [
    'too many form parameters (parameters.too.many)',
    () => post('/form', 'application/x-www-form-urlencoded', 'a=1&b=2&c=3&d=4'),
    413,
    'CONTENT_TOO_LARGE',
    'Content Too Large',
  ],
  [
    'a form nested too deep (querystring.parse.rangeError)',
    () => post('/deep', 'application/x-www-form-urlencoded', 'a[b][c][d][e]=1'),
    400,
    'MALFORMED_BODY',
    'Bad Request',
  ],
  [
    'a text body in an unknown charset (charset.unsupported)',
    () => post('/text', 'text/plain; charset=klingon', 'hi'),
    415,
    'UNSUPPORTED_MEDIA_TYPE',
    'Unsupported Media Type',
  ],
  [
    'an oversized text body (entity.too.large)',
    () => post('/text', 'text/plain', 'x'.repeat(100)),
    413,
    'CONTENT_TOO_LARGE',
    'Content Too Large',
  ],
  [
    'an oversized raw body (entity.too.large)',
    () => post('/raw', 'application/octet-stream', 'x'.repeat(40)),
    413,
    'CONTENT_TOO_LARGE',
    'Content Too Large',
  ],
];

describe('Express body-parser errors under errorHandler', () => {
  it.each(cases)('%s answers %i %s', async (_name, send, status, code, title) => {
    const answer = await send();
    expect(answer.status).toBe(status);
    expect(answer.headers['content-type']).toBe('application/problem+json');
    expect(answer.headers['content-length']).toBe(String(Buffer.byteLength(answer.body)));
    const body = JSON.parse(answer.body) as Record<string, unknown>;
    expect(body).toMatchObject({ type: 'about:blank', title, status, code });
    expect(typeof body.detail).toBe('string');
    expect(body.requestId).toBe(answer.headers['x-request-id']);
  });

  it("answers a path parameter Express's router cannot decode (/items/%zz) with 400 MALFORMED_URL", async () => {
    const answer = await rawRequest(port, ['GET /items/%zz?token=t HTTP/1.1', 'host: x.test']);
    expect(answer.status).toBe(400);
    expect(answer.headers['content-type']).toBe('application/problem+json');
    expect(JSON.parse(answer.body)).toMatchObject({
      title: 'Bad Request',
      code: 'MALFORMED_URL',
      detail: "The URL is not valid: a '%' must start a percent-escape such as %20.",
      instance: '/items/%zz',
    });
    expect(answer.body).not.toContain('token');
  });

  it('answers a stream broken before the parser (stream.encoding.set) as a bare 500', async () => {
    const answer = await post('/encoded', 'application/json', '{}');
    expect(answer.status).toBe(500);
    expect(JSON.parse(answer.body)).toEqual(
      expect.objectContaining({ title: 'Internal Server Error', code: 'INTERNAL_SERVER_ERROR' }),
    );
    expect(answer.body).not.toContain('stream');
  });

  it('logs a body cut short by the client (request.aborted) as MALFORMED_BODY 400', async () => {
    await abortMidBody(
      port,
      [
        'POST /json HTTP/1.1',
        'host: x.test',
        'content-type: application/json',
        'x-request-id: cut-1',
        'content-length: 40',
      ],
      '{"a":',
    );
    await sleep(100);
    const rejected = capture
      .lines()
      .find((line) => line.requestId === 'cut-1' && line.msg === 'request rejected');
    expect(rejected).toMatchObject({ status: 400, code: 'MALFORMED_BODY' });
  });

  it('lets what express.json() accepts through: an empty body is {}, invalid UTF-8 becomes U+FFFD', async () => {
    const empty = await post('/json', 'application/json', '');
    expect(empty.status).toBe(200);
    expect(JSON.parse(empty.body)).toEqual({ body: {} });
    const invalid = await post(
      '/json',
      'application/json',
      Buffer.concat([Buffer.from('{"a":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]),
    );
    expect(invalid.status).toBe(200);
    expect(JSON.parse(invalid.body)).toEqual({ body: { a: '\uFFFD\uFFFD' } });
  });

  it('rejects an empty body and invalid UTF-8 with MALFORMED_BODY under the strict recipe', async () => {
    const empty = await post('/strict', 'application/json', '');
    const invalid = await post('/strict', 'application/json', Buffer.from([0x7b, 0xff, 0x7d]));
    for (const answer of [empty, invalid]) {
      expect(answer.status).toBe(400);
      expect(JSON.parse(answer.body)).toMatchObject({
        title: 'Bad Request',
        code: 'MALFORMED_BODY',
        detail: 'The body must be non-empty UTF-8 JSON.',
      });
    }
    expect((await post('/strict', 'application/json', '{"a":"é"}')).status).toBe(200);
  });

  it('leaves a wrong content type to the route (express.json() skips it)', async () => {
    const answer = await post('/json', 'text/xml', '<a/>');
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toEqual({});
  });
});
