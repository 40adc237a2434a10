// Request bodies of every kind reach real hosts as a socket would deliver them: form posts parsed by
// express.urlencoded(), multipart with its boundary, a streamed body, bytes with their length.
import type { IncomingMessage, ServerResponse } from 'node:http';
import express from 'express';
import Fastify from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import { inject } from '../src/index.js';

function echo(req: IncomingMessage, res: ServerResponse) {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    res.setHeader('content-type', 'application/json');
    res.end(
      JSON.stringify({
        body: Buffer.concat(chunks).toString(),
        length: req.headers['content-length'] ?? null,
        encoding: req.headers['transfer-encoding'] ?? null,
        type: req.headers['content-type'] ?? null,
      }),
    );
  });
}

function streamOf(...parts: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const part of parts) controller.enqueue(encoder.encode(part));
      controller.close();
    },
  });
}

describe('request bodies', () => {
  it('sends bytes with their Content-Length to a node listener', async () => {
    const response = await inject(echo, { method: 'PUT', url: '/', body: new TextEncoder().encode('héllo') });
    expect(await response.json()).toEqual({ body: 'héllo', length: '6', encoding: null, type: null });
  });

  it('streams a ReadableStream body chunked to a node listener', async () => {
    const response = await inject(echo, { method: 'POST', url: '/', body: streamOf('a', 'b', 'c') });
    expect(await response.json()).toEqual({ body: 'abc', length: null, encoding: 'chunked', type: null });
  });

  it('streams a ReadableStream body to a fetch handler', async () => {
    const response = await inject(async (request: Request) => new Response(await request.text()), {
      method: 'POST',
      url: '/',
      body: streamOf('x', 'y'),
    });
    expect(await response.text()).toBe('xy');
  });

  it('posts a form that express.urlencoded() parses', async () => {
    const app = express();
    app.use(express.urlencoded({ extended: false }));
    app.post('/form', (req, res) => {
      res.json(req.body);
    });
    const response = await inject(app, {
      url: '/form',
      body: new URLSearchParams({ name: 'Ada', lang: 'en' }),
    });
    expect(await response.json()).toEqual({ name: 'Ada', lang: 'en' });
  });

  it('posts multipart FormData with its boundary', async () => {
    const form = new FormData();
    form.append('title', 'report');
    form.append('file', new Blob(['file-content'], { type: 'text/plain' }), 'a.txt');
    const response = await inject(
      async (request: Request) => {
        const parsed = await request.formData();
        const file = parsed.get('file') as File;
        return Response.json({ title: parsed.get('title'), file: file.name, text: await file.text() });
      },
      { url: '/upload', body: form },
    );
    expect(await response.json()).toEqual({ title: 'report', file: 'a.txt', text: 'file-content' });
  });

  describe('on Fastify', () => {
    const app = Fastify();
    app.post('/json', async (request) => ({ received: request.body }));
    afterAll(() => app.close());

    it('parses a JSON body', async () => {
      const response = await inject(app, { url: '/json', json: { a: [1, 2] } });
      expect(await response.json()).toEqual({ received: { a: [1, 2] } });
    });

    it("answers Fastify's own 400 for malformed JSON", async () => {
      const response = await inject(app, {
        url: '/json',
        body: '{"a":',
        headers: { 'content-type': 'application/json' },
      });
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ statusCode: 400, code: 'FST_ERR_CTP_INVALID_JSON_BODY' });
    });
  });
});
