import { describe, expect, it } from 'vitest';
import { HttpError } from './errors.js';
import {
  empty,
  fastState,
  html,
  json,
  redirect,
  respond,
  stream,
  text,
  toStandardResponse,
} from './response.js';

describe('response helpers', () => {
  it('build Responses that behave like the standard one', async () => {
    const response = json({ a: 1 }, { status: 201, headers: { 'X-Id': '7' } });
    expect(response).toBeInstanceOf(Response);
    expect(response.status).toBe(201);
    expect(response.ok).toBe(true);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(response.headers.get('x-id')).toBe('7');
    response.headers.set('x-later', 'yes');
    const copy = response.clone();
    expect(await response.json()).toEqual({ a: 1 });
    expect(await copy.text()).toBe('{"a":1}');
    expect(copy.headers.get('x-later')).toBe('yes');
    expect(response.bodyUsed).toBe(true);
    expect(toStandardResponse(json(null)).constructor).toBe(Response);
  });

  it('let extra headers override the default content type', async () => {
    expect(text('x', { headers: { 'content-type': 'text/csv' } }).headers.get('content-type')).toBe(
      'text/csv',
    );
    expect(html('<p>').headers.get('content-type')).toBe('text/html; charset=utf-8');
    const headers = new Headers([['x-a', '1']]);
    expect(json(1, { headers }).headers.get('x-a')).toBe('1');
  });

  it('answer 204 without a body by default', async () => {
    const response = empty();
    expect(response.status).toBe(204);
    expect(response.body).toBeNull();
  });

  it('refuse invalid statuses', () => {
    expect(() => json({}, { status: 99 })).toThrow(HttpError);
  });

  it('redirect to safe targets and encode non-ASCII', () => {
    expect(redirect('/login').headers.get('location')).toBe('/login');
    expect(redirect('https://example.com/a?b=c', 301).status).toBe(301);
    expect(redirect('/ünïcode path').headers.get('location')).toBe('/%C3%BCn%C3%AFcode%20path');
  });

  it.each([
    ['/a\r\nSet-Cookie: x=1', 'control characters'],
    ['/a\nb', 'control characters'],
    ['javascript:alert(1)', 'scheme'],
    ['JavaScript:alert(1)', 'scheme'],
    ['data:text/html,<script>', 'scheme'],
    ['//evil.example', 'protocol-relative'],
    ['/\\evil.example', 'backslash'],
    [' /x', 'whitespace'],
    ['', 'empty'],
  ])('refuse the unsafe redirect target %j', (target, why) => {
    let thrown: unknown;
    try {
      redirect(target);
    } catch (error) {
      thrown = error;
    }
    expect((thrown as HttpError).code).toBe('ERR_HTTP_UNSAFE_REDIRECT');
    expect((thrown as HttpError).message).toContain(why);
  });

  it('refuse a non-redirect status', () => {
    expect(() => redirect('/x', 200)).toThrow('Redirect status 200 is invalid');
  });

  it('stream chunks on demand only (backpressure) and stop the source on cancel', async () => {
    let produced = 0;
    let finished = false;
    async function* source() {
      try {
        for (;;) {
          produced++;
          yield `chunk ${produced}\n`;
        }
      } finally {
        finished = true;
      }
    }
    const response = stream(source(), { headers: { 'content-type': 'text/plain' } });
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toBe('chunk 1\n');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(produced).toBeLessThanOrEqual(2);
    await reader.cancel();
    expect(finished).toBe(true);
  });

  it('stream web streams of strings as bytes', async () => {
    const source = new ReadableStream<string>({
      start(controller) {
        controller.enqueue('a');
        controller.enqueue('b');
        controller.close();
      },
    });
    expect(await stream(source).text()).toBe('ab');
    expect(await stream(['x', new TextEncoder().encode('y')]).text()).toBe('xy');
  });
});

describe('respond (ctx.respond)', () => {
  const bytes = new TextEncoder().encode('{"b":2}');
  const cases: Array<[string, string | Uint8Array | null, ResponseInit | undefined]> = [
    ['a string, no init', 'plain', undefined],
    [
      'a JSON string with its own Content-Type and Content-Length',
      '{"a":1}',
      {
        status: 201,
        headers: { 'Content-Type': 'application/json', 'Content-Length': '7' },
      },
    ],
    ['bytes', bytes, { headers: { 'content-type': 'application/json' } }],
    ['an empty string', '', { status: 200 }],
    ['no body, 204', null, { status: 204, headers: { 'x-a': '1' } }],
    [
      'headers as pairs, a repeated Set-Cookie',
      'x',
      {
        headers: [
          ['set-cookie', 'a=1'],
          ['set-cookie', 'b=2'],
          ['x-b', ' padded '],
        ],
      },
    ],
    ['a Headers object', 'x', { status: 404, headers: new Headers({ 'content-type': 'text/csv' }) }],
    ['a header value Headers normalises', 'x', { headers: { 'x-c': ' spaced\t' } }],
  ];

  it.each(cases)('answers as new Response would for %s', async (_name, body, init) => {
    const lazy = respond(body, init);
    const real = new Response(body as BodyInit | null, init);
    expect(lazy).toBeInstanceOf(Response);
    expect(fastState(lazy)).toBeDefined();
    expect([lazy.status, lazy.statusText, lazy.ok, lazy.type, lazy.redirected, lazy.url]).toEqual([
      real.status,
      real.statusText,
      real.ok,
      real.type,
      real.redirected,
      real.url,
    ]);
    expect([...lazy.headers]).toEqual([...real.headers]);
    expect(lazy.headers.getSetCookie()).toEqual(real.headers.getSetCookie());
    expect(lazy.bodyUsed).toBe(false);
    expect(lazy.body === null).toBe(real.body === null);
    expect(await lazy.clone().text()).toBe(await real.clone().text());
    if (body !== null && body !== '' && body !== 'x' && body !== 'plain') {
      expect(await lazy.json()).toEqual(await real.json());
      expect(lazy.bodyUsed).toBe(true);
    }
  });

  it('reads its body as a stream, as bytes and as JSON', async () => {
    const streamed = respond('{"n":1}');
    const reader = (streamed.body as ReadableStream<Uint8Array>).getReader();
    const chunk = await reader.read();
    expect(new TextDecoder().decode(chunk.value)).toBe('{"n":1}');
    expect(new Uint8Array(await respond(bytes).arrayBuffer())).toEqual(bytes);
    expect(await respond('[1]').json()).toEqual([1]);
  });

  it('lets middleware change its headers before it is written', () => {
    const response = respond('{}', { headers: { 'content-type': 'application/json' } });
    response.headers.set('x-request-id', 'r1');
    expect(fastState(response)?.headers).toEqual({
      'content-type': 'application/json',
      'x-request-id': 'r1',
    });
  });

  it('throws what the Response constructor throws for what it refuses', () => {
    expect(() => respond('x', { status: 204 })).toThrow(TypeError);
    expect(() => respond('x', { status: 99 })).toThrow(RangeError);
    expect(() => respond(null, { headers: { 'bad name': 'x' } })).toThrow(TypeError);
  });

  it('hands bodies it does not model to the Response constructor', async () => {
    const response = respond(new Blob(['blob']) as unknown as string);
    expect(fastState(response)).toBeUndefined();
    expect(await response.text()).toBe('blob');
    expect(respond('x', { statusText: 'Fine' } as ResponseInit).statusText).toBe('Fine');
  });
});
