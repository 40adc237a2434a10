// ctx.body on node:http, byte for byte: charsets (the shared UTF-8 decoder and the others), a byte order
// mark, empty and chunked bodies, limits across two reads, and a client that goes away mid-body.
import { once } from 'node:events';
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, isHttpError, json, text } from '../src/index.js';
import { type RunningServer, serve } from '../src/node.js';

type Reply = { status: number; contentType: string | undefined; body: string };

describe('ctx.body on node:http', () => {
  let server: RunningServer;
  let aborted: Promise<unknown>;
  let settleAborted: (value: unknown) => void;

  beforeAll(async () => {
    const app = createApp({ bodyLimit: 1024 });
    app.post('/json', async (ctx) => json({ body: await ctx.body.json() }));
    app.post('/text', async (ctx) => text(await ctx.body.text()));
    app.post('/request-then-small-limit', async (ctx) => {
      await ctx.request.json();
      return json({ size: (await ctx.body.bytes({ limit: 4 })).byteLength });
    });
    app.post('/aborted', async (ctx) => {
      try {
        await ctx.body.json();
        settleAborted('read');
      } catch (error) {
        settleAborted(error);
      }
      return json({});
    });
    server = await serve(app, { port: 0, hostname: '127.0.0.1' });
  });

  afterAll(() => server.close({ timeout: 1000 }));

  /** POSTs `chunks` (chunked when there are several and no Content-Length is given). */
  function send(path: string, chunks: Buffer[], headers: Record<string, string> = {}): Promise<Reply> {
    return new Promise((resolve, reject) => {
      const req = httpRequest(`${server.url}${path}`, { method: 'POST', headers, agent: false }, (res) => {
        const parts: Buffer[] = [];
        res.on('data', (part: Buffer) => parts.push(part));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            contentType: res.headers['content-type'],
            body: Buffer.concat(parts).toString('utf8'),
          }),
        );
      });
      req.on('error', reject);
      for (const chunk of chunks) req.write(chunk);
      req.end();
    });
  }

  const jsonType = { 'content-type': 'application/json' };

  it('parses the plain application/json types, with or without a UTF-8 charset in any spelling', async () => {
    const body = Buffer.from('{"name":"Zoë"}');
    for (const type of [
      'application/json',
      'application/json; charset=utf-8',
      'application/json;charset=UTF-8',
      'Application/JSON; charset="utf8"',
      'application/vnd.api+json',
    ]) {
      const reply = await send('/json', [body], { 'content-type': type });
      expect([type, reply.status, JSON.parse(reply.body)]).toEqual([type, 200, { body: { name: 'Zoë' } }]);
    }
  });

  it('drops a UTF-8 byte order mark, as TextDecoder does', async () => {
    const bom = Buffer.from([0xef, 0xbb, 0xbf]);
    const reply = await send('/json', [Buffer.concat([bom, Buffer.from('{"a":1}')])], jsonType);
    expect(JSON.parse(reply.body)).toEqual({ body: { a: 1 } });
    const plain = await send('/text', [Buffer.concat([bom, Buffer.from('hi')])], {
      'content-type': 'text/plain',
    });
    expect(plain.body).toBe('hi');
  });

  it('decodes other declared charsets, and answers 415 for an unknown one', async () => {
    const latin1 = await send('/text', [Buffer.from([0x63, 0x61, 0x66, 0xe9])], {
      'content-type': 'text/plain; charset=latin1',
    });
    expect(latin1.body).toBe('café');
    const utf16 = await send('/json', [Buffer.from('{"a":"é"}', 'utf16le')], {
      'content-type': 'application/json; charset=utf-16le',
    });
    expect(JSON.parse(utf16.body)).toEqual({ body: { a: 'é' } });
    const unknown = await send('/json', [Buffer.from('{}')], {
      'content-type': 'application/json; charset=x-nothing',
    });
    expect(unknown.status).toBe(415);
    expect(JSON.parse(unknown.body)).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE' });
  });

  it('answers 400 for invalid UTF-8, and the next request decodes normally', async () => {
    const invalid = await send('/json', [Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x7d])], jsonType);
    expect(invalid.status).toBe(400);
    expect(invalid.contentType).toBe('application/problem+json');
    expect(JSON.parse(invalid.body)).toMatchObject({ code: 'MALFORMED_BODY' });
    const valid = await send('/json', [Buffer.from('{"after":"ü"}')], jsonType);
    expect(JSON.parse(valid.body)).toEqual({ body: { after: 'ü' } });
  });

  it('answers 400 problem+json for an empty, blank or malformed JSON body; empty text is ""', async () => {
    for (const [body, detail] of [
      ['', 'The JSON body is empty.'],
      [' \n\t', 'The JSON body is empty.'],
      ['{"a":', 'The request body is not valid JSON.'],
    ] as const) {
      const reply = await send('/json', [Buffer.from(body)], jsonType);
      expect(reply.status).toBe(400);
      expect(reply.contentType).toBe('application/problem+json');
      expect(JSON.parse(reply.body)).toMatchObject({ code: 'MALFORMED_BODY', detail });
    }
    const empty = await send('/text', [], { 'content-type': 'text/plain', 'content-length': '0' });
    expect([empty.status, empty.body]).toEqual([200, '']);
  });

  it('reads a chunked body, and answers 413 when its chunks pass the limit', async () => {
    const chunks = ['{"items":[', '1,2,', '3]}'].map((part) => Buffer.from(part));
    const reply = await send('/json', chunks, jsonType);
    expect(JSON.parse(reply.body)).toEqual({ body: { items: [1, 2, 3] } });
    const large = await send(
      '/json',
      [Buffer.from('["'), Buffer.alloc(1100, 0x61), Buffer.from('"]')],
      jsonType,
    );
    expect(large.status).toBe(413);
  });

  it('holds a smaller limit on a body ctx.request already read', async () => {
    const reply = await send('/request-then-small-limit', [Buffer.from('{"a":123}')], jsonType);
    expect(reply.status).toBe(413);
    expect(JSON.parse(reply.body)).toMatchObject({ code: 'CONTENT_TOO_LARGE' });
  });

  it('rejects with 400 when the client goes away before the whole body arrived', async () => {
    aborted = new Promise((resolve) => {
      settleAborted = resolve;
    });
    const socket = connect(server.port, '127.0.0.1');
    await once(socket, 'connect');
    socket.write(
      'POST /aborted HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"a":',
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    socket.destroy();
    const error = await aborted;
    expect(isHttpError(error) && [error.status, error.code]).toEqual([400, 'MALFORMED_BODY']);
  });
});
