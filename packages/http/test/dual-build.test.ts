// The ESM and the CJS build of this package loaded side by side, as in a CommonJS Express server that
// imports an app from an ESM module: an app made by one build works with the other build's adapters.
// Both builds are made here with the package's own tsup preset into a temporary folder (the test
// task does not depend on this package's build, and `check` may rebuild dist/ meanwhile).
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import express from 'express';
import Fastify from 'fastify';
import { build } from 'tsup';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageBuild } from '../../../tsup.preset.mjs';

type Core = typeof import('../src/index.js');
type Node = typeof import('../src/node.js');
type Express = typeof import('../src/express.js');
type FastifyEntry = typeof import('../src/fastify.js');

const out = mkdtempSync(join(tmpdir(), 'plinth-http-dual-'));
const esm = {} as { core: Core; node: Node; express: Express; fastify: FastifyEntry };
const cjs = {} as typeof esm;

function listen(server: Server): Promise<string> {
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () =>
      resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
    );
  });
}

beforeAll(async () => {
  const root = new URL('..', import.meta.url).pathname;
  await build({
    ...packageBuild(
      {
        index: join(root, 'src/index.ts'),
        node: join(root, 'src/node.ts'),
        express: join(root, 'src/express.ts'),
        fastify: join(root, 'src/fastify.ts'),
      },
      { outDir: out, dts: false, sourcemap: false, silent: true, external: ['fastify', 'express'] },
    ),
    config: false,
  });
  for (const name of ['core', 'node', 'express', 'fastify'] as const) {
    const file = name === 'core' ? 'index' : name;
    (esm as Record<string, unknown>)[name] = await import(pathToFileURL(join(out, `${file}.js`)).href);
    (cjs as Record<string, unknown>)[name] = createRequire(import.meta.url)(join(out, `${file}.cjs`));
  }
}, 60_000);

afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('ESM and CJS builds together', () => {
  it('are two separate module instances', () => {
    expect(esm.core.createApp).not.toBe(cjs.core.createApp);
    expect(esm.core.HttpError).not.toBe(cjs.core.HttpError);
  });

  it('serves an ESM-built app with the CJS node and Express adapters, and the reverse', async () => {
    for (const [made, served] of [
      [esm, cjs],
      [cjs, esm],
    ] as const) {
      const app = made.core.createApp();
      app.get('/users/:id', (ctx) => made.core.json({ id: ctx.params.id }));
      const node = createServer(served.node.toNodeHandler(app));
      const host = express();
      host.use('/api', served.express.plinthExpress(app));
      const expressServer = createServer(host);
      const [nodeUrl, expressUrl] = await Promise.all([listen(node), listen(expressServer)]);
      expect(await (await fetch(`${nodeUrl}/users/1`)).json()).toEqual({ id: '1' });
      expect(await (await fetch(`${expressUrl}/api/users/2`)).json()).toEqual({ id: '2' });
      await Promise.all([
        new Promise((resolve) => node.close(resolve)),
        new Promise((resolve) => expressServer.close(resolve)),
      ]);
    }
  });

  it('keeps the fast write path for a response made by the other build', async () => {
    let sent: Response | undefined;
    const app = esm.core.createApp();
    app.get('/', () => {
      sent = esm.core.json({ a: 1 });
      return sent;
    });
    const server = createServer(cjs.node.toNodeHandler(app));
    const url = await listen(server);
    expect(await (await fetch(url)).json()).toEqual({ a: 1 });
    await new Promise((resolve) => server.close(resolve));
    // The lazy Response was written from its state (response.ts), never turned into an undici one.
    const state = (sent as unknown as Record<symbol, { real: unknown }>)[
      Symbol.for('@plinth/http.Response.state')
    ];
    expect(state).toBeDefined();
    expect(state?.real).toBeUndefined();
  });

  it('registers a CJS-built app with the ESM Fastify plugin, and the reverse', async () => {
    for (const [made, served] of [
      [cjs, esm],
      [esm, cjs],
    ] as const) {
      const app = made.core.createApp();
      app.get('/ping', () => made.core.text('pong'));
      const fastify = Fastify();
      await fastify.register(served.fastify.plinthFastify, { app });
      const response = await fastify.inject({ method: 'GET', url: '/ping' });
      expect(response.statusCode).toBe(200);
      expect(response.body).toBe('pong');
      await fastify.close();
    }
  });

  it('mounts an app of one build in an app of the other and recognises its HttpErrors', async () => {
    const parent = esm.core.createApp();
    const child = cjs.core.createApp();
    child.get('/gone', () => {
      throw new cjs.core.HttpError(410, 'Moved away.', { code: 'GONE_FOR_GOOD' });
    });
    parent.mount('/child', child);
    const response = await parent.fetch(new Request('http://localhost/child/gone'));
    expect(response.status).toBe(410);
    expect(await response.json()).toMatchObject({ code: 'GONE_FOR_GOOD', detail: 'Moved away.' });
    expect(esm.core.isHttpError(new cjs.core.HttpError(400))).toBe(true);
    expect(cjs.core.isHttpError(new esm.core.HttpError(400))).toBe(true);
  });
});
