// Fastify 5's own request errors meet observability: its content-type parser's errors through the
// errorHandler plugin, and its router's errors (bad URL, param too long, failing async constraint),
// which bypass every error handler, through `frameworkErrors`. Real requests, real Fastify.
import { PassThrough } from 'node:stream';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorHandler, frameworkErrors, requestLogger } from '../src/adapters/fastify.js';
import { setDefaultLogger } from '../src/index.js';
import type { Logger } from '../src/logger.js';
import { captureLogger } from './log-capture.js';
import { rawRequest } from './raw-request.js';

const capture = captureLogger();
let app: FastifyInstance;
let port: number;
let previousLogger: Logger | undefined;

// An async constraint whose lookup fails: Fastify answers FST_ERR_ASYNC_CONSTRAINT through frameworkErrors.
const tenant = {
  name: 'tenant',
  storage() {
    const handlers = new Map<string, never>();
    return {
      get: (value: string) => handlers.get(value) ?? null,
      set: (value: string, store: never) => {
        handlers.set(value, store);
      },
    };
  },
  deriveConstraint(_request: unknown, _ctx: unknown, done: (error: Error | null, value?: string) => void) {
    done(new Error('tenant directory unreachable at 10.0.0.9'));
  },
  mustMatchWhenDerived: true,
  validate() {},
};

beforeAll(async () => {
  previousLogger = setDefaultLogger(capture.logger);
  app = Fastify({ logger: false, bodyLimit: 64, maxParamLength: 10, frameworkErrors });
  await app.register(requestLogger({ logger: capture.logger, otel: false }));
  await app.register(errorHandler());
  const echo = async (request: { body: unknown }) => ({ body: request.body });
  app.post('/json', echo);
  app.get('/items/:id', async (request) => request.params);
  // The custom JSON parser recipe of Fastify's docs: a SyntaxError marked statusCode 400.
  app.addContentTypeParser('application/vnd.custom+json', { parseAs: 'string' }, (_request, body, done) => {
    try {
      done(null, JSON.parse(body as string));
    } catch (error) {
      (error as { statusCode?: number }).statusCode = 400;
      done(error as Error, undefined);
    }
  });
  app.post('/custom', echo);
  // A preParsing hook that hands on fewer bytes than the client sent (a decoder gone wrong).
  await app.register(
    async (child) => {
      child.addHook('preParsing', async (_request, _reply, payload) => {
        const shorter = new PassThrough();
        payload.on('data', (chunk: Buffer) => shorter.write(chunk.subarray(1)));
        payload.on('end', () => shorter.end());
        return shorter;
      });
      child.post('/', echo);
    },
    { prefix: '/shrunk' },
  );
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  port = typeof address === 'object' && address !== null ? address.port : 0;
});

afterAll(async () => {
  if (previousLogger !== undefined) setDefaultLogger(previousLogger);
  await app.close();
});

function send(method: string, path: string, contentType?: string, body: string | Uint8Array = '') {
  const length = typeof body === 'string' ? Buffer.byteLength(body) : body.length;
  const head = [`${method} ${path} HTTP/1.1`, 'host: x.test'];
  if (contentType !== undefined) head.push(`content-type: ${contentType}`, `content-length: ${length}`);
  return rawRequest(port, head, body);
}

const cases: Array<[string, number, string, string, () => ReturnType<typeof send>]> = [
  [
    'bad JSON (FST_ERR_CTP_INVALID_JSON_BODY)',
    400,
    'MALFORMED_BODY',
    'Bad Request',
    () => send('POST', '/json', 'application/json', '{"a":'),
  ],
  [
    'an empty JSON body (FST_ERR_CTP_EMPTY_JSON_BODY)',
    400,
    'MALFORMED_BODY',
    'Bad Request',
    () => send('POST', '/json', 'application/json', ''),
  ],
  [
    'a custom parser SyntaxError with statusCode 400',
    400,
    'MALFORMED_BODY',
    'Bad Request',
    () => send('POST', '/custom', 'application/vnd.custom+json', '{nope'),
  ],
  [
    'fewer bytes than Content-Length (FST_ERR_CTP_INVALID_CONTENT_LENGTH)',
    400,
    'MALFORMED_BODY',
    'Bad Request',
    () => send('POST', '/shrunk', 'application/json', '{"a":1}'),
  ],
  [
    'an oversized body (FST_ERR_CTP_BODY_TOO_LARGE)',
    413,
    'CONTENT_TOO_LARGE',
    'Content Too Large',
    () => send('POST', '/json', 'application/json', JSON.stringify({ a: 'x'.repeat(100) })),
  ],
  [
    'a content type without a parser (FST_ERR_CTP_INVALID_MEDIA_TYPE)',
    415,
    'UNSUPPORTED_MEDIA_TYPE',
    'Unsupported Media Type',
    () => send('POST', '/json', 'text/xml', '<a/>'),
  ],
  [
    'a bad percent-escape (FST_ERR_BAD_URL, via frameworkErrors)',
    400,
    'MALFORMED_URL',
    'Bad Request',
    () => send('GET', '/items/%zz'),
  ],
  [
    'a parameter over maxParamLength (FST_ERR_MAX_PARAM_LENGTH, via frameworkErrors)',
    414,
    'URI_TOO_LONG',
    'URI Too Long',
    () => send('GET', `/items/${'x'.repeat(20)}`),
  ],
];

describe('Fastify request errors', () => {
  it.each(cases)('%s answers %i %s', async (_name, status, code, title, request) => {
    const answer = await request();
    expect(answer.status).toBe(status);
    expect(answer.headers['content-type']).toBe('application/problem+json');
    expect(answer.headers['content-length']).toBe(String(Buffer.byteLength(answer.body)));
    const body = JSON.parse(answer.body) as Record<string, unknown>;
    expect(body).toMatchObject({ type: 'about:blank', title, status, code });
    expect(typeof body.detail).toBe('string');
    expect(body.requestId).toBe(answer.headers['x-request-id']);
    expect(answer.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('lets what Fastify accepts through: invalid UTF-8 in JSON strings becomes U+FFFD', async () => {
    const invalid = Buffer.concat([Buffer.from('{"a":"'), Buffer.from([0xff]), Buffer.from('"}')]);
    const answer = await send('POST', '/json', 'application/json', invalid);
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toEqual({ body: { a: '\uFFFD' } });
  });
});

describe("the README's strict JSON parser for Fastify", () => {
  it('rejects invalid UTF-8 with MALFORMED_BODY, as @plinth/http does', async () => {
    const strict = Fastify({ logger: false });
    await strict.register(errorHandler());
    const utf8 = new TextDecoder('utf-8', { fatal: true });
    strict.removeContentTypeParser('application/json');
    strict.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body, done) => {
      try {
        done(null, JSON.parse(utf8.decode(body as Buffer)));
      } catch {
        done(Object.assign(new SyntaxError('The body must be UTF-8 JSON.'), { statusCode: 400 }), undefined);
      }
    });
    strict.post('/json', async (request) => ({ body: request.body }));
    try {
      const invalid = await strict.inject({
        method: 'POST',
        url: '/json',
        headers: { 'content-type': 'application/json' },
        payload: Buffer.from([0x7b, 0xff, 0x7d]),
      });
      expect(invalid.statusCode).toBe(400);
      expect(invalid.json()).toMatchObject({
        code: 'MALFORMED_BODY',
        detail: 'The body must be UTF-8 JSON.',
      });
      const fine = await strict.inject({
        method: 'POST',
        url: '/json',
        headers: { 'content-type': 'application/json' },
        payload: '{"a":"é"}',
      });
      expect(fine.json()).toEqual({ body: { a: 'é' } });
    } finally {
      await strict.close();
    }
  });
});

describe('frameworkErrors', () => {
  it('answers a bad URL with problem+json, the incoming request id and one log line', async () => {
    const answer = await rawRequest(port, [
      'GET /items/%zz?q=1 HTTP/1.1',
      'host: x.test',
      'x-request-id: bad-url-1',
    ]);
    expect(answer.status).toBe(400);
    expect(answer.headers['x-request-id']).toBe('bad-url-1');
    expect(JSON.parse(answer.body)).toEqual({
      type: 'about:blank',
      title: 'Bad Request',
      status: 400,
      detail: "The URL is not valid: a '%' must start a percent-escape such as %20.",
      code: 'MALFORMED_URL',
      instance: '/items/%zz',
      requestId: 'bad-url-1',
    });
    const line = capture.lines().find((entry) => entry.requestId === 'bad-url-1');
    expect(line).toMatchObject({ level: 40, method: 'GET', path: '/items/%zz', status: 400 });
    expect(answer.body).not.toContain('q=1');
  });

  it('with options, logs with the given logger and reads and echoes the given request-id header', async () => {
    const own = captureLogger();
    const configured = Fastify({
      logger: false,
      frameworkErrors: frameworkErrors({ logger: own.logger, requestIdHeader: 'X-Correlation-Id' }),
    });
    configured.get('/items/:id', async (request) => request.params);
    await configured.listen({ port: 0, host: '127.0.0.1' });
    const address = configured.server.address();
    const answer = await rawRequest(typeof address === 'object' && address !== null ? address.port : 0, [
      'GET /items/%zz HTTP/1.1',
      'host: x.test',
      'x-correlation-id: corr-1',
      'x-request-id: not-this-one',
    ]).finally(() => configured.close());
    expect(answer.status).toBe(400);
    expect(answer.headers['x-correlation-id']).toBe('corr-1');
    expect(answer.headers['x-request-id']).toBeUndefined();
    expect(JSON.parse(answer.body)).toMatchObject({ code: 'MALFORMED_URL', requestId: 'corr-1' });
    expect(own.lines()).toEqual([
      expect.objectContaining({ level: 40, requestId: 'corr-1', path: '/items/%zz', status: 400 }),
    ]);
    expect(capture.lines().some((entry) => entry.requestId === 'corr-1')).toBe(false);
  });

  it('rejects an invalid requestIdHeader when the handler is made', () => {
    expect(() => frameworkErrors({ requestIdHeader: 'x request id' })).toThrow(
      expect.objectContaining({ code: 'ERR_OBSERVABILITY_INVALID_OPTIONS' }),
    );
  });

  it('answers a failing async constraint (FST_ERR_ASYNC_CONSTRAINT) as a bare 500', async () => {
    // Its own app: a registered async constraint is derived for every request of the instance.
    // Fastify's types know only synchronous deriveConstraint(req, ctx); the runtime takes a callback too.
    const constrained = Fastify({ logger: false, frameworkErrors, constraints: { tenant } as never });
    constrained.route({
      method: 'GET',
      url: '/tenant',
      constraints: { tenant: 'a' },
      handler: async () => 'a',
    });
    await constrained.listen({ port: 0, host: '127.0.0.1' });
    const address = constrained.server.address();
    const answer = await rawRequest(typeof address === 'object' && address !== null ? address.port : 0, [
      'GET /tenant HTTP/1.1',
      'host: x.test',
      'x-request-id: tenant-1',
    ]).finally(() => constrained.close());
    expect(answer.status).toBe(500);
    expect(answer.headers['content-type']).toBe('application/problem+json');
    expect(JSON.parse(answer.body)).toEqual({
      type: 'about:blank',
      title: 'Internal Server Error',
      status: 500,
      code: 'INTERNAL_SERVER_ERROR',
      instance: '/tenant',
      requestId: 'tenant-1',
    });
    const line = capture.lines().find((entry) => entry.requestId === 'tenant-1');
    expect(line).toMatchObject({ level: 50, status: 500, err: { code: 'FST_ERR_ASYNC_CONSTRAINT' } });
  });
});
