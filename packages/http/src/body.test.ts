import { describe, expect, it } from 'vitest';
import { createApp } from './app.js';
import { json, text } from './response.js';

function echoApp(bodyLimit?: number) {
  const app = createApp(bodyLimit === undefined ? {} : { bodyLimit });
  app.post('/json', async (ctx) => json({ body: await ctx.body.json() }));
  app.post('/text', async (ctx) => text(await ctx.body.text()));
  app.post('/form', async (ctx) => {
    const form = await ctx.body.form();
    const file = form.get('file');
    return json({
      names: form.getAll('name'),
      file: file instanceof File ? { name: file.name, text: await file.text() } : null,
    });
  });
  app.post('/bytes', async (ctx) => json({ length: (await ctx.body.bytes({ limit: 8 })).byteLength }));
  app.post('/stream', async (ctx) => {
    let size = 0;
    const reader = ctx.body.stream({ limit: 8 }).getReader();
    for (let next = await reader.read(); !next.done; next = await reader.read())
      size += next.value.byteLength;
    return json({ size });
  });
  app.post('/twice', async (ctx) => json({ a: await ctx.body.json(), b: await ctx.body.text() }));
  return app;
}

const post = (path: string, body: BodyInit, contentType?: string) =>
  new Request(`http://local.test${path}`, {
    method: 'POST',
    body,
    headers: contentType === undefined ? {} : { 'content-type': contentType },
  });

describe('request bodies', () => {
  it('parses JSON, also +json media types', async () => {
    const app = echoApp();
    const response = await app.fetch(post('/json', '{"a":[1,2]}', 'application/json'));
    expect(await response.json()).toEqual({ body: { a: [1, 2] } });
    const problem = await app.fetch(
      post('/json', '{"ok":true}', 'application/merge-patch+json; charset=utf-8'),
    );
    expect(await problem.json()).toEqual({ body: { ok: true } });
  });

  it('answers 400 for malformed or empty JSON', async () => {
    const app = echoApp();
    for (const body of ['{"a":', '', 'undefined']) {
      const response = await app.fetch(post('/json', body, 'application/json'));
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ code: 'MALFORMED_BODY' });
    }
  });

  it('answers 415 when the content type is not JSON', async () => {
    const app = echoApp();
    const response = await app.fetch(post('/json', '{"a":1}', 'text/plain'));
    expect(response.status).toBe(415);
    expect(await response.json()).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE' });
    expect((await app.fetch(post('/json', '{"a":1}'))).status).toBe(415);
  });

  it('rejects __proto__ and constructor.prototype keys without polluting prototypes', async () => {
    const app = echoApp();
    for (const body of [
      '{"__proto__":{"polluted":true}}',
      '{"a":{"__proto__":{"polluted":true}}}',
      '{"constructor":{"prototype":{"polluted":true}}}',
      // The same keys spelled with \u escapes: JSON.parse makes them the same own keys.
      '{"\\u005f_proto__":{"polluted":true}}',
      '{"\\u0063onstructor":{"prototype":{"polluted":true}}}',
      '{"constructor":{"prot\\u006ftype":{"polluted":true}}}',
    ]) {
      const response = await app.fetch(post('/json', body, 'application/json'));
      expect(response.status).toBe(400);
    }
    expect(({} as { polluted?: boolean }).polluted).toBeUndefined();
    const fine = await app.fetch(post('/json', '{"constructor":"a name"}', 'application/json'));
    expect(await fine.json()).toEqual({ body: { constructor: 'a name' } });
  });

  it('answers 413 past the limit, from Content-Length and while streaming', async () => {
    const app = echoApp(16);
    const declared = await app.fetch(post('/text', 'x'.repeat(17), 'text/plain'));
    expect(declared.status).toBe(413);
    expect(await declared.json()).toMatchObject({ code: 'CONTENT_TOO_LARGE' });
    const chunked = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let index = 0; index < 5; index++) controller.enqueue(new Uint8Array(5));
        controller.close();
      },
    });
    const streamed = await app.fetch(
      new Request('http://local.test/text', { method: 'POST', body: chunked, duplex: 'half' } as RequestInit),
    );
    expect(streamed.status).toBe(413);
    expect((await app.fetch(post('/bytes', '123456789'))).status).toBe(413);
    expect((await app.fetch(post('/stream', '123456789'))).status).toBe(413);
    expect(await (await app.fetch(post('/stream', '1234'))).json()).toEqual({ size: 4 });
  });

  it('reads urlencoded forms with repeated keys', async () => {
    const app = echoApp();
    const response = await app.fetch(post('/form', 'name=a&name=b%20c', 'application/x-www-form-urlencoded'));
    expect(await response.json()).toEqual({ names: ['a', 'b c'], file: null });
  });

  it('reads multipart forms with files', async () => {
    const app = echoApp();
    const form = new FormData();
    form.append('name', 'ada');
    form.append('file', new File(['file body'], 'notes.txt', { type: 'text/plain' }));
    const response = await app.fetch(new Request('http://local.test/form', { method: 'POST', body: form }));
    expect(await response.json()).toEqual({ names: ['ada'], file: { name: 'notes.txt', text: 'file body' } });
  });

  it('answers 400 for a malformed multipart body and 415 for a non-form type', async () => {
    const app = echoApp();
    const broken = await app.fetch(
      post('/form', 'not multipart at all', 'multipart/form-data; boundary=xyz'),
    );
    expect(broken.status).toBe(400);
    expect((await app.fetch(post('/form', 'a=1', 'application/json'))).status).toBe(415);
  });

  it('answers 400 for invalid UTF-8 and 415 for an unknown charset', async () => {
    const app = echoApp();
    const invalid = await app.fetch(post('/text', new Uint8Array([0xff, 0xfe, 0xc3]), 'text/plain'));
    expect(invalid.status).toBe(400);
    const unknown = await app.fetch(post('/text', 'x', 'text/plain; charset=klingon'));
    expect(unknown.status).toBe(415);
  });

  it('returns the same body when read twice in different forms', async () => {
    const app = echoApp();
    const response = await app.fetch(post('/twice', '{"x":1}', 'application/json'));
    expect(await response.json()).toEqual({ a: { x: 1 }, b: '{"x":1}' });
  });
});
