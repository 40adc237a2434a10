// One HTTP server per contender, started as its own process by bench/http.ts:
// `node --import tsx bench/servers.ts <contender> <port>`; prints "ready" once listening. Every
// contender answers POST /orders with a receipt; all but the two "JSON.parse only" baselines validate the
// order body and serialize the receipt through its schema.
import { createServer } from 'node:http';
import { createApp, text } from '@plinth/http';
import { serve } from '@plinth/http/node';
import Fastify from 'fastify';
import { z } from 'zod';
import { validation } from '../src/adapters/fastify.js';
import { validate } from '../src/adapters/fetch.js';
import { serialize } from '../src/serializer.js';
import { Order, orderJsonSchema } from './payload.js';

const [contender, portText] = process.argv.slice(2);
const port = Number(portText);
const host = '127.0.0.1';
const ready = (): void => {
  process.stdout.write('ready\n');
};

// Exit cleanly on SIGINT so that `node --cpu-prof` writes its profile (README: "where the time goes").
process.on('SIGINT', () => process.exit(0));

// The harness asks for this process's CPU time around each measurement ("cpu" on stdin).
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk: string) => {
  if (chunk.includes('cpu')) {
    const { user, system } = process.cpuUsage();
    process.stdout.write(`cpu ${user + system}\n`);
  }
});

const Receipt = z.object({ id: z.string(), total: z.number(), lines: z.number() });
const receiptJsonSchema = {
  type: 'object',
  properties: { id: { type: 'string' }, total: { type: 'number' }, lines: { type: 'number' } },
  required: ['id', 'total', 'lines'],
};
type OrderBody = z.infer<typeof Order>;
const receipt = (order: OrderBody) => ({ id: order.id, total: order.total, lines: order.lines.length });
const jsonHeaders = { 'content-type': 'application/json' };

async function start(): Promise<void> {
  switch (contender) {
    case '@plinth/http + validation (zod)': {
      const app = createApp();
      const order = validate({ body: Order });
      app.post('/orders', { middleware: [order] }, (ctx) => {
        // http's text() with a JSON type: its fast response path, for a body serialized already.
        return text(serialize(Receipt, receipt(order.input(ctx).body)), { headers: jsonHeaders });
      });
      await serve(app, { port, hostname: host });
      return ready();
    }
    case '@plinth/http, JSON.parse only': {
      const app = createApp();
      app.post('/orders', async (ctx) => {
        return text(JSON.stringify(receipt((await ctx.body.json()) as OrderBody)), { headers: jsonHeaders });
      });
      await serve(app, { port, hostname: host });
      return ready();
    }
    case 'fastify 5 (ajv JSON schema)': {
      const fastify = Fastify();
      fastify.post(
        '/orders',
        { schema: { body: orderJsonSchema, response: { 200: receiptJsonSchema } } },
        async (request) => receipt(request.body as OrderBody),
      );
      await fastify.listen({ port, host });
      return ready();
    }
    case 'fastify 5 + validation (zod)': {
      const fastify = Fastify();
      await fastify.register(validation);
      fastify.post('/orders', { schema: { body: Order, response: { 200: Receipt } } }, async (request) =>
        receipt(request.body as OrderBody),
      );
      await fastify.listen({ port, host });
      return ready();
    }
    case 'node:http, JSON.parse only': {
      // A baseline: no framework, no validation, the receipt by JSON.stringify.
      const server = createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (chunk: Buffer) => chunks.push(chunk));
        req.on('end', () => {
          const answer = JSON.stringify(receipt(JSON.parse(Buffer.concat(chunks).toString('utf8'))));
          res.writeHead(200, { ...jsonHeaders, 'content-length': Buffer.byteLength(answer) });
          res.end(answer);
        });
      });
      await new Promise<void>((resolve) => server.listen(port, host, resolve));
      return ready();
    }
    default:
      throw new Error(`unknown contender ${contender}`);
  }
}

await start();
