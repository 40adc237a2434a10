// Where the packages meet: one HTTP-error seam. The same error, or the same client mistake, must get
// the same problem+json answer (status, title, code, detail, errors, headers, content type) whichever
// package answers it — @plinth/http's own handler, observability's fetch, Express or Fastify handler,
// or the host's body parser — since the packages never import each other.
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { bindHttp, defineHandler } from '@plinth/handlers';
import { createApp, json } from '@plinth/http';
import { toNodeHandler } from '@plinth/http/node';
import { createLogger, errorHandler } from '@plinth/observability';
import { errorHandler as expressErrorHandler } from '@plinth/observability/express';
import { errorHandler as fastifyErrorHandler } from '@plinth/observability/fastify';
import express from 'express';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** Errors of the http-errors convention, each declared here: no package's own class. */
const conventionErrors: Record<string, () => unknown> = {
  'a 404 by `status`': () => Object.assign(new Error('There is no order 7.'), { status: 404 }),
  'a 413 by `statusCode` with its own code': () =>
    Object.assign(new Error('Upload at most 1 MB.'), { statusCode: 413, code: 'UPLOAD_TOO_LARGE' }),
  'an unexposed 503 with Retry-After': () =>
    Object.assign(new Error('pool exhausted at db-3'), { status: 503, headers: { 'retry-after': '5' } }),
  'a 422 with field errors': () =>
    Object.assign(new Error('The order is invalid.'), {
      status: 422,
      code: 'VALIDATION_FAILED',
      errors: [{ pointer: '#/quantity', message: 'Must be at least 1.', code: 'too_small' }],
    }),
  'a 400 with its own title and detail': () =>
    Object.assign(new Error('internal wording'), {
      status: 400,
      title: 'Coupon Rejected',
      detail: 'The coupon expired on 1 May.',
    }),
  'a 4xx no RFC names': () => Object.assign(new Error('Client closed early.'), { status: 499 }),
  'a 5xx exposed on purpose': () =>
    Object.assign(new Error('The upstream timed out.'), { status: 504, expose: true }),
  'an error without a status': () => new Error('connect ECONNREFUSED 10.0.0.3:5432'),
  'a thrown string': () => 'oops',
};

interface Answer {
  status: number;
  contentType: string | null;
  /** Whether Content-Length is there and counts the body's bytes. */
  lengthMatches: boolean;
  retryAfter: string | null;
  body: Record<string, unknown>;
}

/** The problem as every package must agree on it: observability's own extensions left out. */
async function answerOf(response: Response): Promise<Answer> {
  const text = await response.text();
  const { instance: _instance, requestId: _requestId, traceId: _traceId, ...body } = JSON.parse(text);
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    lengthMatches: response.headers.get('content-length') === String(Buffer.byteLength(text)),
    retryAfter: response.headers.get('retry-after'),
    body,
  };
}

async function listen(server: Server): Promise<string> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const silent = createLogger({ level: 'silent', pretty: false });

describe('one HTTP-error seam', () => {
  let throwing: () => unknown = () => undefined;
  const throwIt = () => {
    throw throwing();
  };

  // @plinth/http with nothing else: its default onError.
  const httpAlone = createApp();
  httpAlone.get('/fail', throwIt);
  // @plinth/http with observability's fetch errorHandler.
  const withObservability = createApp();
  withObservability.use(errorHandler({ logger: silent }));
  withObservability.get('/fail', throwIt);

  // @plinth/handlers answering a thrown error itself (no forwardErrors): its own copy of the table.
  const withHandlers = createApp();
  bindHttp(withHandlers, [defineHandler({ method: 'GET', path: '/fail', handle: throwIt })]);

  const expressApp = express();
  expressApp.get('/fail', throwIt);
  expressApp.use(expressErrorHandler({ logger: silent }));
  const expressServer = createServer(expressApp);
  let expressUrl = '';

  const fastify = Fastify();
  let fastifyUrl = '';

  beforeAll(async () => {
    expressUrl = await listen(expressServer);
    await fastify.register(fastifyErrorHandler({ logger: silent }));
    fastify.get('/fail', async () => throwIt());
    fastifyUrl = await fastify.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    expressServer.close();
    await fastify.close();
  });

  for (const [name, make] of Object.entries(conventionErrors)) {
    it(`answers ${name} the same from http, handlers, observability (fetch, Express, Fastify)`, async () => {
      throwing = make;
      const reference = await answerOf(await httpAlone.fetch(new Request('http://localhost/fail')));
      expect(reference.contentType).toBe('application/problem+json');
      expect(reference.lengthMatches).toBe(true);
      expect(await answerOf(await withObservability.fetch(new Request('http://localhost/fail')))).toEqual(
        reference,
      );
      expect(await answerOf(await withHandlers.fetch(new Request('http://localhost/fail')))).toEqual(
        reference,
      );
      expect(await answerOf(await fetch(`${expressUrl}/fail`))).toEqual(reference);
      expect(await answerOf(await fetch(`${fastifyUrl}/fail`))).toEqual(reference);
    });
  }

  it('names statuses by RFC 9110 and derives the default code from the title', async () => {
    throwing = conventionErrors['a 413 by `statusCode` with its own code'] as () => unknown;
    const tooLarge = await answerOf(await httpAlone.fetch(new Request('http://localhost/fail')));
    expect(tooLarge.body).toMatchObject({
      title: 'Content Too Large',
      status: 413,
      code: 'UPLOAD_TOO_LARGE',
    });
    throwing = conventionErrors['an unexposed 503 with Retry-After'] as () => unknown;
    const unavailable = await answerOf(await httpAlone.fetch(new Request('http://localhost/fail')));
    expect(unavailable.body).toEqual({
      type: 'about:blank',
      title: 'Service Unavailable',
      status: 503,
      code: 'SERVICE_UNAVAILABLE',
    });
    expect(unavailable.retryAfter).toBe('5');
    throwing = conventionErrors['an error without a status'] as () => unknown;
    const crash = await answerOf(await httpAlone.fetch(new Request('http://localhost/fail')));
    expect(crash.body).toEqual({
      type: 'about:blank',
      title: 'Internal Server Error',
      status: 500,
      code: 'INTERNAL_SERVER_ERROR',
    });
  });
});

/** One client mistake, sent as raw bytes to each way of parsing a body. */
const mistakes = [
  {
    name: 'malformed JSON',
    body: '{"name":',
    contentType: 'application/json',
    status: 400,
    code: 'MALFORMED_BODY',
  },
  {
    name: 'an empty JSON body',
    body: '',
    contentType: 'application/json',
    status: 400,
    code: 'MALFORMED_BODY',
  },
  {
    name: 'invalid UTF-8 in JSON',
    body: Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]),
    contentType: 'application/json',
    status: 400,
    code: 'MALFORMED_BODY',
  },
  {
    name: 'a body over the limit',
    body: JSON.stringify({ text: 'x'.repeat(200 * 1024) }),
    contentType: 'application/json',
    status: 413,
    code: 'CONTENT_TOO_LARGE',
  },
];

// The hosts' parsers let an empty body ({} under express.json()) and invalid UTF-8 (decoded to U+FFFD)
// through; these are the strict parsers observability's README gives, so the hosts refuse what
// @plinth/http refuses.
const utf8 = new TextDecoder('utf-8', { fatal: true });
function strictExpressJson(_req: unknown, _res: unknown, body: Buffer): void {
  try {
    if (body.length === 0) throw new Error('empty');
    utf8.decode(body);
  } catch {
    throw Object.assign(new Error('The body must be non-empty UTF-8 JSON.'), {
      status: 400,
      type: 'entity.parse.failed',
    });
  }
}
function strictFastifyJson(
  _request: unknown,
  body: Buffer | string,
  done: (error: Error | null, value?: unknown) => void,
) {
  try {
    done(null, JSON.parse(utf8.decode(typeof body === 'string' ? Buffer.from(body) : body)));
  } catch {
    done(Object.assign(new SyntaxError('The body must be UTF-8 JSON.'), { statusCode: 400 }), undefined);
  }
}

describe('one answer for one mistake, whoever parsed the body', () => {
  const limit = 100 * 1024;
  const plinth = createApp();
  plinth.post('/echo', async (ctx) => json(await ctx.body.json({ limit })));

  const servers: Record<string, string> = {};
  const closers: Array<() => unknown> = [];

  beforeAll(async () => {
    // @plinth/http on node:http, parsing the body itself.
    const alone = createServer(toNodeHandler(plinth));
    servers['@plinth/http on node:http'] = await listen(alone);
    closers.push(() => alone.close());

    // Express's own express.json() and a plain Express route, observability's Express error handler.
    const plainExpress = express();
    plainExpress.use(express.json({ limit, verify: strictExpressJson }));
    plainExpress.post('/echo', (req, res) => {
      res.json(req.body);
    });
    plainExpress.use(expressErrorHandler({ logger: silent }));
    const plainServer = createServer(plainExpress);
    servers['Express with express.json()'] = await listen(plainServer);
    closers.push(() => plainServer.close());

    // Fastify's own JSON parser and route, observability's Fastify error handler.
    const plainFastify = Fastify({ bodyLimit: limit });
    plainFastify.removeContentTypeParser('application/json');
    plainFastify.addContentTypeParser('application/json', { parseAs: 'buffer' }, strictFastifyJson);
    await plainFastify.register(fastifyErrorHandler({ logger: silent }));
    plainFastify.post('/echo', async (request) => request.body);
    servers['Fastify with its JSON parser'] = await plainFastify.listen({ port: 0, host: '127.0.0.1' });
    closers.push(() => plainFastify.close());
  });
  afterAll(async () => {
    for (const close of closers) await close();
  });

  for (const mistake of mistakes) {
    it(`answers ${mistake.name} with ${mistake.status} ${mistake.code} from every parser`, async () => {
      const answers: Record<string, unknown> = {};
      for (const [name, url] of Object.entries(servers)) {
        const response = await fetch(`${url}/echo`, {
          method: 'POST',
          headers: { 'content-type': mistake.contentType },
          body: mistake.body,
        });
        const body = (await response.json()) as { title?: string; code?: string };
        answers[name] = {
          status: response.status,
          contentType: response.headers.get('content-type'),
          title: body.title,
          code: body.code,
        };
      }
      const expected = {
        status: mistake.status,
        contentType: 'application/problem+json',
        title: mistake.status === 400 ? 'Bad Request' : 'Content Too Large',
        code: mistake.code,
      };
      expect(answers).toEqual(Object.fromEntries(Object.keys(servers).map((name) => [name, expected])));
    });
  }
});
