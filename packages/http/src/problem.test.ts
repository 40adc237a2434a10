import { describe, expect, it } from 'vitest';
import { createApp } from './app.js';
import { HttpError } from './errors.js';
import { problem, problemFromError } from './problem.js';

// An error class of another package (observability's NotFoundError has this shape): a plain Error
// subclass with the convention's fields, not @plinth/http's HttpError.
class NotFoundError extends Error {
  readonly status = 404;
  readonly code = 'NOT_FOUND';
  constructor(message = 'No such thing.') {
    super(message);
    this.name = 'NotFoundError';
  }
}

async function answer(response: Response) {
  return {
    status: response.status,
    type: response.headers.get('content-type'),
    length: response.headers.get('content-length'),
    text: await response.text(),
  };
}

describe('problem()', () => {
  it('answers application/problem+json with Content-Length and members in order', async () => {
    const sent = await answer(problem(409, { detail: 'Taken.', code: 'EMAIL_TAKEN' }));
    expect(sent.status).toBe(409);
    expect(sent.type).toBe('application/problem+json');
    expect(sent.text).toBe(
      '{"type":"about:blank","title":"Conflict","status":409,"detail":"Taken.","code":"EMAIL_TAKEN"}',
    );
    expect(sent.length).toBe(String(Buffer.byteLength(sent.text)));
  });
});

describe('problemFromError answers any error of the http-errors convention', () => {
  it('answers a foreign Error subclass with status 404 as 404', async () => {
    const sent = await answer(problemFromError(new NotFoundError()));
    expect(sent.status).toBe(404);
    expect(JSON.parse(sent.text)).toEqual({
      type: 'about:blank',
      title: 'Not Found',
      status: 404,
      detail: 'No such thing.',
      code: 'NOT_FOUND',
    });
  });

  it('reads statusCode, title, type, detail, errors and headers when exposed', async () => {
    const error = Object.assign(new Error('ignored when detail is set'), {
      statusCode: 422,
      type: 'https://example.com/problems/validation',
      title: 'Your request is not valid',
      detail: 'Two fields are wrong.',
      code: 'VALIDATION_FAILED',
      errors: [{ pointer: '/email', message: 'Not an e-mail.', code: 'email', secret: 'dropped' }, 'junk'],
      headers: { 'Retry-After': '5', 'content-type': 'text/html', 'x-count': 3 },
    });
    const response = problemFromError(error);
    expect(response.headers.get('retry-after')).toBe('5');
    expect(response.headers.get('x-count')).toBeNull();
    const sent = await answer(response);
    expect(sent.type).toBe('application/problem+json');
    expect(sent.text).toBe(
      JSON.stringify({
        type: 'https://example.com/problems/validation',
        title: 'Your request is not valid',
        status: 422,
        detail: 'Two fields are wrong.',
        code: 'VALIDATION_FAILED',
        errors: [{ message: 'Not an e-mail.', pointer: '/email', code: 'email' }],
      }),
    );
  });

  it('hides everything but status, title and the default code when not exposed', async () => {
    const error = Object.assign(new Error('connect ECONNREFUSED 10.0.0.3:5432'), {
      status: 503,
      code: 'ECONNREFUSED',
      title: 'Database down',
      headers: { 'retry-after': '30' },
    });
    const response = problemFromError(error);
    expect(response.headers.get('retry-after')).toBe('30');
    expect(JSON.parse((await answer(response)).text)).toEqual({
      type: 'about:blank',
      title: 'Service Unavailable',
      status: 503,
      code: 'SERVICE_UNAVAILABLE',
    });
    const hidden = Object.assign(new Error('internal'), { status: 400, expose: false, code: 'X' });
    expect(JSON.parse((await answer(problemFromError(hidden))).text)).toEqual({
      type: 'about:blank',
      title: 'Bad Request',
      status: 400,
      code: 'BAD_REQUEST',
    });
  });

  it('answers 500 for anything else, plain objects and out-of-range statuses included', async () => {
    for (const thrown of [
      new Error('boom'),
      { status: 200 },
      { status: 404.5 },
      'text',
      null,
      { status: 600 },
    ]) {
      const sent = await answer(problemFromError(thrown));
      expect(sent.status).toBe(500);
      expect(JSON.parse(sent.text)).toEqual({
        type: 'about:blank',
        title: 'Internal Server Error',
        status: 500,
        code: 'INTERNAL_SERVER_ERROR',
      });
    }
    expect((await answer(problemFromError({ statusCode: 429, expose: true }))).status).toBe(429);
  });
});

describe('the default onError', () => {
  it('answers a NotFoundError of another package thrown in a handler with 404, not 500', async () => {
    const app = createApp();
    app.get('/things/:id', () => {
      throw new NotFoundError('No thing 7.');
    });
    const response = await app.fetch(new Request('http://localhost/things/7'));
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(await response.json()).toEqual({
      type: 'about:blank',
      title: 'Not Found',
      status: 404,
      detail: 'No thing 7.',
      code: 'NOT_FOUND',
    });
  });

  it('sends an HttpError with the user’s own code and headers', async () => {
    const app = createApp();
    app.get('/', () => {
      throw new HttpError(429, 'Slow down.', { code: 'RATE_LIMITED', headers: { 'retry-after': '1' } });
    });
    const response = await app.fetch(new Request('http://localhost/'));
    expect(response.headers.get('retry-after')).toBe('1');
    expect(await response.json()).toMatchObject({ title: 'Too Many Requests', code: 'RATE_LIMITED' });
  });
});
