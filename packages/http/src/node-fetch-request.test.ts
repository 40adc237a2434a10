import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { isHttpError } from './errors.js';
import { NodeFetchRequest, type NodeRequestParts, plainOrigin, requestUrl } from './node-fetch-request.js';

function parts(overrides: Partial<NodeRequestParts> & { body?: string } = {}): NodeRequestParts & {
  reads: number;
  signals: number;
} {
  const body = new TextEncoder().encode(overrides.body ?? '');
  const controller = new AbortController();
  const self = {
    method: 'POST',
    contentType: 'application/json',
    contentLength: body.byteLength,
    reads: 0,
    signals: 0,
    requestTarget: () => '/users/42?tab=posts',
    requestOrigin: () => 'http://localhost:3000',
    rawHeaders: () => ['Host', 'localhost:3000', 'X-A', '1', 'x-a', '2'],
    signal() {
      self.signals++;
      return controller.signal;
    },
    read(limit: number) {
      self.reads++;
      return body.byteLength > limit ? Promise.reject(new Error('over')) : Promise.resolve(body);
    },
    ...overrides,
  };
  return self;
}

const view = (source: NodeRequestParts, limit = 1024) =>
  new NodeFetchRequest(source, limit) as unknown as Request;

describe('requestUrl', () => {
  // The fast path must give exactly what the WHATWG URL parser gives, or not be taken.
  const targets = [
    '/',
    '/users/42?tab=posts&x=1',
    '//x//y',
    '/a/./b',
    '/a/../b',
    '/a/.',
    '/a/..',
    '/a/%2e%2E/b',
    '/a/.%2e/b',
    "/q'x?a='b'",
    '/a^b',
    '/a`b{c}|d',
    '/a\\b',
    '/caf%C3%A9?x=%zz',
    '/a?b=/./c',
    '/.well-known/x',
    '/a/...b/..c',
    '/a:b@c!$&()*+,;=~_-',
  ];
  for (const origin of ['http://localhost:3000', 'https://example.com', 'http://[::1]:8080']) {
    it(`equals new URL(origin + target).href for odd targets under ${origin}`, () => {
      for (const target of targets)
        expect(requestUrl(origin, target), target).toBe(new URL(origin + target).href);
    });
  }

  it('takes absolute-form targets as they are, normalised', () => {
    expect(requestUrl('http://localhost', 'http://Other.example:80/a/../b')).toBe('http://other.example/b');
  });

  it('answers 400 MALFORMED_URL for a target that is no URL', () => {
    let caught: unknown;
    try {
      requestUrl('http://localhost', '*');
    } catch (error) {
      caught = error;
    }
    expect(isHttpError(caught)).toBe(true);
    expect(caught).toMatchObject({ status: 400, code: 'MALFORMED_URL' });
  });
});

describe('plainOrigin', () => {
  const hosts = [
    'localhost',
    'localhost:3000',
    'localhost:80',
    'localhost:443',
    'localhost:080',
    'localhost:0',
    'localhost:65535',
    'localhost:65536',
    'localhost:',
    'api.example.com',
    'a-b.c-d.example',
    'Example.COM',
    'xn--nxasmq6b.example',
    'x.xn--abc',
    '127.0.0.1:8080',
    '127.1',
    '010.0.0.1',
    '256.0.0.1',
    '1.2.3',
    'a.1',
    '0x7f.1',
    '[::1]:3000',
    'foo_bar',
    'example.com.',
    'user@host',
  ];
  for (const protocol of ['http', 'https'] as const) {
    it(`equals the URL parser's origin or defers to it (${protocol})`, () => {
      for (const host of hosts) {
        const fast = plainOrigin(protocol, host);
        if (fast === undefined) continue;
        expect(fast, host).toBe(new URL(`${protocol}://${host}`).origin);
      }
      expect(plainOrigin(protocol, 'localhost:3000')).toBe(`${protocol}://localhost:3000`);
      expect(plainOrigin(protocol, '127.0.0.1')).toBe(`${protocol}://127.0.0.1`);
    });
  }
});

describe('NodeFetchRequest', () => {
  it('is a Request to instanceof, toString and its constructor', () => {
    const request = view(parts());
    expect(request).toBeInstanceOf(Request);
    expect(Object.prototype.toString.call(request)).toBe('[object Request]');
    expect(request.constructor.prototype).toBe(Request.prototype);
  });

  it('reads nothing and creates no signal until a member needs it', () => {
    const source = parts({ body: '{}' });
    const request = view(source);
    expect([request.method, request.url]).toEqual(['POST', 'http://localhost:3000/users/42?tab=posts']);
    expect(source.reads).toBe(0);
    expect(source.signals).toBe(0);
    expect(request.signal).toBeInstanceOf(AbortSignal);
    expect(source.signals).toBe(1);
  });

  it('builds one Headers on first use and keeps it', () => {
    const request = view(parts());
    expect(request.headers).toBeInstanceOf(Headers);
    expect(request.headers).toBe(request.headers);
    expect(request.headers.get('x-a')).toBe('1, 2');
  });

  it('answers every member of Request.prototype', () => {
    const request = view(parts({ method: 'GET' })) as unknown as Record<string, unknown>;
    for (const name of Object.getOwnPropertyNames(Request.prototype)) {
      if (name === 'constructor') continue;
      expect(() => request[name], name).not.toThrow();
    }
    expect(request.cache).toBe('default');
    expect(request.mode).toBe('cors');
  });

  it('reuses the value a host parser left for json() and reads the source only once', async () => {
    const source = parts({ parsed: { value: { from: 'host' } } });
    const request = view(source);
    expect(await request.json()).toEqual({ from: 'host' });
    expect(request.bodyUsed).toBe(true);
    await expect(request.json()).rejects.toBeInstanceOf(TypeError);
    expect(source.reads).toBe(0);
  });

  it("does not take a form parser's value for JSON", async () => {
    const refused = new Error('raw body unavailable');
    const source = parts({
      contentType: 'application/x-www-form-urlencoded',
      parsed: { value: { a: '1' } },
      read: () => Promise.reject(refused),
    });
    await expect(view(source).json()).rejects.toBe(refused);
  });

  it('rejects a declared Content-Length over the limit with 413 before reading', async () => {
    const source = parts({ body: 'x'.repeat(20) });
    await expect(view(source, 10).text()).rejects.toMatchObject({ status: 413, code: 'CONTENT_TOO_LARGE' });
    expect(source.reads).toBe(0);
  });

  it('makes malformed JSON a SyntaxError that error handlers answer as 400', async () => {
    const error = await view(parts({ body: '{' }))
      .json()
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SyntaxError);
    expect(error).toMatchObject({ status: 400, expose: true, code: 'MALFORMED_BODY' });
  });

  it('answers method, url and headers of TRACE, and 501 for what needs undici', () => {
    const request = view(parts({ method: 'TRACE' }));
    expect([request.method, request.url, request.headers.get('host')]).toEqual([
      'TRACE',
      'http://localhost:3000/users/42?tab=posts',
      'localhost:3000',
    ]);
    expect(() => request.clone()).toThrow(expect.objectContaining({ status: 501, code: 'NOT_IMPLEMENTED' }));
    expect(() => new Request(request)).toThrow(expect.objectContaining({ status: 501 }));
  });

  it('a body stream error on read says why (host parser kept no raw bytes)', async () => {
    const refused = new Error('raw body unavailable');
    const request = view(parts({ read: () => Promise.reject(refused) }));
    const body = request.body as ReadableStream<Uint8Array>;
    await expect(body.getReader().read()).rejects.toBe(refused);
  });

  it('streams the shared read as plain Uint8Array chunks, and the same bytes to ctx.body later', async () => {
    const source = parts({ body: '{"a":1}' });
    const reader = (view(source).body as ReadableStream<Uint8Array>).getReader();
    const { value } = await reader.read();
    expect(Object.getPrototypeOf(value)).toBe(Uint8Array.prototype);
    expect(new TextDecoder().decode(value)).toBe('{"a":1}');
    expect((await reader.read()).done).toBe(true);
    expect(source.reads).toBe(1);
  });

  it('shows method, url and headers in util.inspect without building undici objects', () => {
    const shown = inspect(view(parts()));
    expect(shown).toContain("method: 'POST'");
    expect(shown).toContain('http://localhost:3000/users/42?tab=posts');
  });
});
