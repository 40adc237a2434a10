// Streaming responses through inject(): read chunk by chunk to the end, or aborted, and the app sees
// the client go away (a closed response for node hosts, a cancelled stream and aborted signal for fetch).
import type { IncomingMessage, ServerResponse } from 'node:http';
import express from 'express';
import Fastify from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import { eventually, type InjectTarget, inject } from '../src/index.js';

interface Probe {
  closed: boolean;
  written: number;
  release: () => void;
}

// Writes one event, then one more each time the test releases it, until three; notes a hang-up.
function nodeStream(probe: Probe) {
  return (_req: IncomingMessage, res: ServerResponse) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.write('data: 1\n\n');
    probe.written = 1;
    res.on('close', () => {
      probe.closed = true;
    });
    probe.release = () => {
      if (res.destroyed) return;
      probe.written++;
      res.write(`data: ${probe.written}\n\n`);
      if (probe.written === 3) res.end();
    };
  };
}

function fetchStream(probe: Probe) {
  return (request: Request) => {
    request.signal.addEventListener('abort', () => {
      probe.closed = true;
    });
    const encoder = new TextEncoder();
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(encoder.encode('data: 1\n\n'));
        probe.written = 1;
        probe.release = () => {
          probe.written++;
          controller.enqueue(encoder.encode(`data: ${probe.written}\n\n`));
          if (probe.written === 3) controller.close();
        };
      },
      cancel() {
        probe.closed = true;
      },
    });
    return new Response(body, { headers: { 'content-type': 'text/event-stream' } });
  };
}

const fastifyApps: Array<{ close(): unknown }> = [];
afterAll(async () => {
  for (const app of fastifyApps) await app.close();
});

const makers: Array<[string, (probe: Probe) => InjectTarget]> = [
  ['a fetch handler', fetchStream],
  ['a node listener', nodeStream],
  [
    'an Express 5 app',
    (probe) => {
      const app = express();
      app.get('/events', nodeStream(probe));
      return app;
    },
  ],
  [
    'a Fastify 5 instance',
    (probe) => {
      const app = Fastify();
      fastifyApps.push(app);
      app.get('/events', (request, reply) => {
        reply.hijack();
        nodeStream(probe)(request.raw, reply.raw);
      });
      return app;
    },
  ],
];

const decoder = new TextDecoder();

describe.each(makers)('a streaming response from %s', (_name, make) => {
  it('arrives chunk by chunk before the app ends it, then to the end', async () => {
    const probe: Probe = { closed: false, written: 0, release: () => {} };
    const response = await inject(make(probe), '/events');
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    const reader = response.body!.getReader();
    expect(decoder.decode((await reader.read()).value)).toBe('data: 1\n\n');
    probe.release();
    expect(decoder.decode((await reader.read()).value)).toBe('data: 2\n\n');
    probe.release();
    expect(decoder.decode((await reader.read()).value)).toBe('data: 3\n\n');
    expect((await reader.read()).done).toBe(true);
  });

  it('is read whole by text() once the app ends it', async () => {
    const probe: Probe = { closed: false, written: 0, release: () => {} };
    const response = await inject(make(probe), '/events');
    const text = response.text();
    await eventually(() => expect(probe.written).toBe(1));
    probe.release();
    probe.release();
    expect(await text).toBe('data: 1\n\ndata: 2\n\ndata: 3\n\n');
  });

  it('aborted by the client, the app sees the connection close', async () => {
    const probe: Probe = { closed: false, written: 0, release: () => {} };
    const response = await inject(make(probe), '/events');
    const reader = response.body!.getReader();
    expect(decoder.decode((await reader.read()).value)).toBe('data: 1\n\n');
    expect(probe.closed).toBe(false);
    response.abort();
    await eventually(() => expect(probe.closed).toBe(true));
    expect((await reader.read()).done).toBe(true);
  });

  it('cancelling the body stream hangs up too', async () => {
    const probe: Probe = { closed: false, written: 0, release: () => {} };
    const response = await inject(make(probe), '/events');
    await response.body!.cancel();
    await eventually(() => expect(probe.closed).toBe(true));
  });
});

describe('a request signal', () => {
  it('aborting it disconnects the client mid-stream', async () => {
    const probe: Probe = { closed: false, written: 0, release: () => {} };
    const controller = new AbortController();
    const response = await inject(nodeStream(probe), { url: '/events', signal: controller.signal });
    expect(response.status).toBe(200);
    controller.abort();
    await eventually(() => expect(probe.closed).toBe(true));
  });
});
