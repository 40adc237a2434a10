// The ./client module in a real browser (chromium): it loads with no node imports, receives typed
// messages, and reconnects with backoff after the server drops the connection.
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWebSocketServer } from '../src/ws.js';
import { chromiumAvailable, launchChromium } from './support/chromium.js';

// The module as a browser gets it: TypeScript stripped, nothing bundled in.
const clientModule = ts.transpileModule(readFileSync(new URL('../src/client.ts', import.meta.url), 'utf8'), {
  compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
}).outputText;

const server = createServer((request, response) => {
  if (request.url === '/client.js') {
    response.writeHead(200, { 'content-type': 'text/javascript' }).end(clientModule);
  } else {
    response.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>client</title>');
  }
});
let connections = 0;
const ws = createWebSocketServer({
  server,
  path: '/ws',
  onConnection: (connection) => {
    connections++;
    connection.send({ welcome: connections });
  },
  onMessage: (connection, message) => {
    if (message === 'drop') connection.close(4000, 'dropped by the test');
    else connection.send({ echo: message });
  },
});

describe.skipIf(!chromiumAvailable)('the browser client in chromium', () => {
  let launched: Awaited<ReturnType<typeof launchChromium>>;
  let origin: string;
  beforeAll(async () => {
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    origin = `127.0.0.1:${(server.address() as AddressInfo).port}`;
    launched = await launchChromium();
  });
  afterAll(async () => {
    await launched?.close();
    await ws.close();
    server.closeAllConnections();
    server.close();
  });

  it('receives messages, reconnects after a drop, and stops after close()', async () => {
    const page = await launched.browser.newPage();
    await page.goto(`http://${origin}/`);
    // A string, so the test runner does not rewrite the page's dynamic import().
    const script = `(async () => {
      const { createClient } = await import('/client.js');
      const client = createClient('ws://${origin}/ws', { backoff: { initialMs: 10, jitter: 0 } });
      const seen = [];
      const closes = [];
      client.on('close', (event) => closes.push(event.willReconnect));
      await new Promise((resolve) => {
        client.on('message', (message) => {
          seen.push(message);
          if (seen.length === 1) client.send('hello');
          if (seen.length === 2) client.send('drop');
          if (seen.length === 3) resolve();
        });
      });
      client.close();
      return { seen, closes, state: client.state, late: client.send('late') };
    })()`;
    expect(await page.evaluate(script)).toEqual({
      seen: [{ welcome: 1 }, { echo: 'hello' }, { welcome: 2 }],
      closes: [true],
      state: 'closed',
      late: false,
    });
  });
});
