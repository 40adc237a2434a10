// A real EventSource in chromium: the WHATWG parsing vectors (BOM, CR/LF/CRLF, comments, id with NULL,
// non-digit retry), our formatter's output, and resume with Last-Event-ID after a dropped connection.
import { once } from 'node:events';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEventStream } from '../src/adapters/node.js';
import { createEventHub, formatEvent } from '../src/index.js';
import { chromiumAvailable, launchChromium } from './support/chromium.js';
import vectors from './vectors/sse-parsing.json' with { type: 'json' };

interface Seen {
  type: string;
  data: string;
  lastEventId: string;
}

const hub = createEventHub();
const lastEventIds: Array<string | undefined> = [];
let liveResponse: ServerResponse | undefined;
const formatted = [
  { id: '1', data: 'line one\nline two\r\nline three\rend' },
  { id: '2', event: 'custom', data: { nested: { ok: true } } },
  { id: '3', data: '' },
  { id: '4', data: ': looks like a comment' },
];

const server = createServer((request, response) => {
  const url = new URL(request.url ?? '/', 'http://x');
  if (url.pathname === '/') {
    response.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>sse</title>');
  } else if (url.pathname.startsWith('/vector/')) {
    const vector = vectors[Number(url.pathname.slice(8))];
    response.writeHead(200, { 'content-type': 'text/event-stream' }).end(vector?.stream ?? '');
  } else if (url.pathname === '/formatted') {
    response.writeHead(200, { 'content-type': 'text/event-stream' }).end(formatted.map(formatEvent).join(''));
  } else if (url.pathname === '/live') {
    lastEventIds.push(request.headers['last-event-id'] as string | undefined);
    liveResponse = response;
    void openEventStream(request, response, { hub, channel: 'live', retryMs: 10, retryJitter: 0 });
  } else {
    response.writeHead(404).end();
  }
});

/** Opens an EventSource in the page and collects events until the stream errors (ends) or `count` arrive. */
function collect(page: Page, path: string, types: string[], count = Number.POSITIVE_INFINITY) {
  return page.evaluate(
    ({ path, types, count }) =>
      new Promise<Seen[]>((resolve) => {
        const seen: Seen[] = [];
        const source = new EventSource(path);
        const done = () => {
          source.close();
          resolve(seen);
        };
        for (const type of types) {
          source.addEventListener(type, (event) => {
            const message = event as MessageEvent<string>;
            seen.push({ type, data: message.data, lastEventId: message.lastEventId });
            if (seen.length >= count) done();
          });
        }
        if (count === Number.POSITIVE_INFINITY) source.onerror = done;
      }),
    { path, types, count },
  );
}

describe.skipIf(!chromiumAvailable)('EventSource in chromium', () => {
  let page: Page;
  let close: () => Promise<void>;
  beforeAll(async () => {
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const launched = await launchChromium();
    close = launched.close;
    page = await launched.browser.newPage();
    await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
  });
  afterAll(async () => {
    await close?.();
    server.closeAllConnections();
    server.close();
    await hub.close();
  });

  it.each(vectors.map((vector, index) => [vector.name, index] as const))(
    'parses %s',
    async (_name, index) => {
      const vector = vectors[index]!;
      const types = [...new Set(['message', ...vector.events.map((event) => event.type)])];
      expect(await collect(page, `/vector/${index}`, types)).toEqual(vector.events);
    },
  );

  it('receives formatEvent output exactly as sent (line breaks normalised to LF)', async () => {
    expect(await collect(page, '/formatted', ['message', 'custom'])).toEqual([
      { type: 'message', data: 'line one\nline two\nline three\nend', lastEventId: '1' },
      { type: 'custom', data: '{"nested":{"ok":true}}', lastEventId: '2' },
      { type: 'message', data: '', lastEventId: '3' },
      { type: 'message', data: ': looks like a comment', lastEventId: '4' },
    ]);
  });

  it('reconnects with Last-Event-ID after a dropped connection and gets exactly the missed events', async () => {
    const received = collect(page, '/live', ['message'], 5);
    while (liveResponse === undefined) await new Promise((resolve) => setImmediate(resolve));
    const first = liveResponse;
    await hub.publish('live', { data: 'e1' });
    await hub.publish('live', { data: 'e2' });
    // Let e1 and e2 leave the server, then drop the connection and publish while the browser is away:
    // whatever it got before the drop, it must get each event exactly once.
    await new Promise<void>((resolve) => {
      const check = () => (first.writableLength === 0 ? resolve() : setImmediate(check));
      check();
    });
    first.destroy();
    await hub.publish('live', { data: 'e3' });
    await hub.publish('live', { data: 'e4' });
    while (lastEventIds.length < 2) await new Promise((resolve) => setImmediate(resolve));
    await hub.publish('live', { data: 'e5' });
    const events = await received;
    expect(events.map((event) => event.data)).toEqual(['e1', 'e2', 'e3', 'e4', 'e5']);
    expect(events.map((event) => event.lastEventId)).toEqual(['1', '2', '3', '4', '5']);
    expect(lastEventIds[0]).toBeUndefined();
    expect(['1', '2', '3', '4']).toContain(lastEventIds[1]);
  });
});
