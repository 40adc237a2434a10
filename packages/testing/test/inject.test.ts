// inject() against real Express 5, Fastify 5, a node listener, a node:http Server and fetch handlers.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import express from 'express';
import Fastify from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import { CookieJar, createInjector, type InjectTarget, inject } from '../src/index.js';

function nodeApp(req: IncomingMessage, res: ServerResponse): void {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    if (req.url === '/echo') {
      res.writeHead(201, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ received: JSON.parse(Buffer.concat(chunks).toString()), url: req.url }));
      return;
    }
    if (req.url === '/login') {
      res.setHeader('set-cookie', ['session=abc; Path=/; HttpOnly', 'theme=dark; Path=/settings']);
      res.end('ok');
      return;
    }
    if (req.url === '/logout') {
      res.setHeader('set-cookie', 'session=; Path=/; Max-Age=0');
      res.end('bye');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        method: req.method,
        url: req.url,
        cookie: req.headers.cookie ?? null,
        body: Buffer.concat(chunks).toString(),
        contentType: req.headers['content-type'] ?? null,
      }),
    );
  });
}

const expressApp = express();
expressApp.use(express.json());
expressApp.post('/echo', (req, res) => {
  res.status(201).json({ received: req.body, url: req.originalUrl });
});
expressApp.get('/login', (_req, res) => {
  res.cookie('session', 'abc', { path: '/', httpOnly: true });
  res.cookie('theme', 'dark', { path: '/settings' });
  res.send('ok');
});
expressApp.get('/logout', (_req, res) => {
  res.clearCookie('session', { path: '/' });
  res.send('bye');
});
expressApp.all('/{*rest}', (req, res) => {
  res.json({
    method: req.method,
    url: req.url,
    cookie: req.headers.cookie ?? null,
    body: '',
    contentType: null,
  });
});

const fastifyApp = Fastify();
fastifyApp.post('/echo', async (request, reply) =>
  reply.code(201).send({ received: request.body, url: request.url }),
);
fastifyApp.get('/login', async (_request, reply) => {
  reply.header('set-cookie', ['session=abc; Path=/; HttpOnly', 'theme=dark; Path=/settings']);
  return 'ok';
});
fastifyApp.get('/logout', async (_request, reply) => {
  reply.header('set-cookie', 'session=; Path=/; Max-Age=0');
  return 'bye';
});
fastifyApp.all('/*', async (request) => ({
  method: request.method,
  url: request.url,
  cookie: request.headers.cookie ?? null,
  body: '',
  contentType: null,
}));
afterAll(() => fastifyApp.close());

async function fetchApp(request: Request): Promise<Response> {
  const target = (request as unknown as Record<symbol, string>)[Symbol.for('@plinth/http.rawTarget')];
  const url = new URL(request.url);
  if (url.pathname === '/echo' && request.method === 'POST') {
    return Response.json({ received: await request.json(), url: target }, { status: 201 });
  }
  if (url.pathname === '/login') {
    const headers = new Headers();
    headers.append('set-cookie', 'session=abc; Path=/; HttpOnly');
    headers.append('set-cookie', 'theme=dark; Path=/settings');
    return new Response('ok', { headers });
  }
  if (url.pathname === '/logout') {
    return new Response('bye', { headers: { 'set-cookie': 'session=; Path=/; Max-Age=0' } });
  }
  return Response.json({
    method: request.method,
    url: target,
    cookie: request.headers.get('cookie'),
    body: request.method === 'GET' || request.method === 'HEAD' ? '' : await request.text(),
    contentType: request.headers.get('content-type'),
  });
}

const targets: Array<[string, InjectTarget]> = [
  ['a fetch handler', fetchApp],
  ['an object with fetch()', { fetch: fetchApp }],
  ['a node listener', nodeApp],
  ['a node:http Server', createServer(nodeApp)],
  ['an Express 5 app', expressApp],
  ['a Fastify 5 instance', fastifyApp],
];

describe.each(targets)('inject() into %s', (_name, target) => {
  it('answers a GET with status, headers and a JSON body', async () => {
    const response = await inject(target, '/things?page=2');
    expect(response.status).toBe(200);
    expect(response.ok).toBe(true);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await response.json()).toMatchObject({ method: 'GET', url: '/things?page=2' });
  });

  it('passes a raw target through unresolved, as over a socket', async () => {
    const response = await inject(target, '/a/../b/%2e%2e/c');
    expect(await response.json()).toMatchObject({ url: '/a/../b/%2e%2e/c' });
  });

  it('sends a JSON body and reads the created answer', async () => {
    const response = await inject(target, { method: 'POST', url: '/echo', json: { name: 'Ada' } });
    expect(response.status).toBe(201);
    expect(await response.json()).toEqual({ received: { name: 'Ada' }, url: '/echo' });
  });

  it('appends query parameters and repeats array keys', async () => {
    const response = await inject(target, { url: '/q', query: { tag: ['a', 'b'], n: 1 } });
    expect(await response.json()).toMatchObject({ url: '/q?tag=a&tag=b&n=1' });
  });

  it('parses Set-Cookie into cookies and keeps them in a jar across calls', async () => {
    const client = createInjector(target);
    const login = await client('/login');
    expect(login.cookies).toEqual([
      { name: 'session', value: 'abc', path: '/', httpOnly: true },
      { name: 'theme', value: 'dark', path: '/settings' },
    ]);
    expect(await login.text()).toBe('ok');
    expect(client.jar.get('session')).toBe('abc');
    expect(await (await client('/me')).json()).toMatchObject({ cookie: 'session=abc' });
    expect(await (await client('/settings/x')).json()).toMatchObject({ cookie: 'theme=dark; session=abc' });
    await client('/logout');
    expect(client.jar.get('session')).toBeUndefined();
    expect(await (await client('/me')).json()).toMatchObject({ cookie: null });
  });

  it('sends explicit cookies along with the jar', async () => {
    const jar = new CookieJar();
    jar.set('a', '1');
    const response = await inject(target, { url: '/c', cookies: { b: '2' } }, { jar });
    expect(await response.json()).toMatchObject({ cookie: 'a=1; b=2' });
  });

  it('refuses to read a body twice with a typed error', async () => {
    const response = await inject(target, '/twice');
    await response.text();
    await expect(response.text()).rejects.toMatchObject({ code: 'ERR_TESTING_BODY_USED' });
  });

  it('answers HEAD with headers and no body', async () => {
    const response = await inject(target, { method: 'HEAD', url: '/head' });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('');
  });
});

describe('inject() errors', () => {
  it('says what a target must be', async () => {
    expect(() => inject(42 as never)).toThrowError(/fetch handler .* Fastify instance/);
  });

  it('quotes a body that is not JSON', async () => {
    const response = await inject(() => new Response('<html>oops</html>', { status: 502 }));
    await expect(response.json()).rejects.toMatchObject({
      code: 'ERR_TESTING_NOT_JSON',
      message: expect.stringContaining('<html>oops</html>'),
    });
  });

  it('refuses a target with spaces', async () => {
    await expect(inject(nodeApp, '/a b')).rejects.toMatchObject({ code: 'ERR_TESTING_INVALID_REQUEST' });
  });

  it('rejects with the error a node handler throws before answering', async () => {
    await expect(
      inject((_req: IncomingMessage, _res: ServerResponse) => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
  });
});

describe('createInjector()', () => {
  it('sends its default headers unless a request sets them', async () => {
    const client = createInjector(fetchApp, { headers: { 'content-type': 'text/plain' } });
    const first = await client({ method: 'POST', url: '/x', body: 'hi' });
    expect(await first.json()).toMatchObject({ contentType: 'text/plain', body: 'hi' });
    const second = await client({ method: 'POST', url: '/x', json: { a: 1 } });
    expect(await second.json()).toMatchObject({ contentType: 'application/json' });
  });
});

describe('inject() timeout', () => {
  it('fails with a message and hangs up when the app never answers', async () => {
    let closed = false;
    const silent = (_req: IncomingMessage, res: ServerResponse) => {
      res.on('close', () => {
        closed = true;
      });
    };
    await expect(inject(silent, '/slow', { timeout: 50 })).rejects.toMatchObject({
      code: 'ERR_TESTING_NO_RESPONSE',
      message: expect.stringContaining('GET /slow got no response within 50 ms'),
    });
    expect(closed).toBe(true);
  });

  it('aborts the request signal of a fetch handler that never answers', async () => {
    let aborted = false;
    const silent = (request: Request) =>
      new Promise<Response>(() => {
        request.signal.addEventListener('abort', () => {
          aborted = true;
        });
      });
    await expect(inject(silent, { url: '/slow' }, { timeout: 50 })).rejects.toMatchObject({
      code: 'ERR_TESTING_NO_RESPONSE',
    });
    expect(aborted).toBe(true);
  });
});

describe('inject() and a socket the app destroys', () => {
  it('rejects with ERR_TESTING_NO_RESPONSE naming the request', async () => {
    await expect(
      inject((req: IncomingMessage, _res: ServerResponse) => {
        req.socket.destroy();
      }, '/drop'),
    ).rejects.toMatchObject({
      code: 'ERR_TESTING_NO_RESPONSE',
      message: expect.stringContaining('GET /drop'),
    });
  });
});

describe('inject() and the app it calls', () => {
  it('leaves an Express app as it was: its prototypes untouched, a socket request still answered', async () => {
    const { IncomingMessage, ServerResponse } = await import('node:http');
    const app = express();
    app.get('/ping', (_req, res) => {
      res.send('pong');
    });
    expect(await (await inject(app, '/ping')).text()).toBe('pong');
    expect(Object.getPrototypeOf(Object.getPrototypeOf(app.request))).toBe(IncomingMessage.prototype);
    expect(Object.getPrototypeOf(Object.getPrototypeOf(app.response))).toBe(ServerResponse.prototype);
    const server = createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as { port: number };
      const response = await fetch(`http://127.0.0.1:${port}/ping`);
      expect(await response.text()).toBe('pong');
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
