// One server per contender of the composed-stack benchmark, each its own process started by
// bench/index.ts: `node --import tsx bench/servers.ts <contender> <port>`; prints "ready" once listening.
// Every logger writes JSON lines synchronously to /dev/null, so all contenders pay for formatting
// and writing a line, and none for a terminal.
import { createHealth, healthMiddleware } from '@plinth/deploy';
import { createApp, json } from '@plinth/http';
import { serve } from '@plinth/http/node';
import { createLogger, errorHandler, requestLogger } from '@plinth/observability';
import Fastify from 'fastify';
import { pino } from 'pino';
import { buildApp } from '../src/app.js';
import { createAuthKit } from '../src/auth.js';
import { openDatabase } from '../src/database.js';

const [contender, portText] = process.argv.slice(2);
const port = Number(portText);
const hostname = '127.0.0.1';
const devNull = () => pino.destination({ dest: '/dev/null', sync: true });

// The harness asks for this process's CPU time around each measurement ("cpu" on stdin).
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk: string) => {
  if (chunk.includes('cpu')) {
    const { user, system } = process.cpuUsage();
    process.stdout.write(`cpu ${user + system}\n`);
  }
});

/** @plinth/http with observability's request logging and error handler and deploy's health endpoints. */
function composedStack() {
  const logger = createLogger({ destination: devNull(), pretty: false });
  const health = createHealth({ checks: [] });
  health.markStarted();
  const app = createApp();
  app.use(requestLogger({ logger }), errorHandler(), healthMiddleware(health));
  app.get('/', () => json({ hello: 'world' }));
  return app;
}

async function start(): Promise<void> {
  switch (contender) {
    case '@plinth/http alone': {
      const app = createApp();
      app.get('/', () => json({ hello: 'world' }));
      await serve(app, { port, hostname });
      break;
    }
    case 'composed stack': {
      await serve(composedStack(), { port, hostname });
      break;
    }
    case 'apps/reference': {
      const logger = createLogger({ destination: devNull(), pretty: false, name: 'reference' });
      const health = createHealth({ checks: [], service: { serviceId: 'plinth-reference' } });
      health.markStarted();
      // PGlite in memory, migrated as on a first start; GET / does not query it.
      const db = await openDatabase({ dataDir: 'memory://' });
      const auth = await createAuthKit({ secret: 'bench-secret-of-at-least-32-bytes!' });
      await serve(buildApp({ db, logger, health, auth }), { port, hostname });
      break;
    }
    case 'fastify 5 + logger': {
      // `logger: true` as users write it, with its request id taken from and echoed in X-Request-Id.
      const fastify = Fastify({ logger: { stream: devNull() }, requestIdHeader: 'x-request-id' });
      fastify.addHook('onSend', async (request, reply) => {
        reply.header('x-request-id', request.id);
      });
      fastify.get('/', async () => ({ hello: 'world' }));
      await fastify.listen({ port, host: hostname });
      break;
    }
    default:
      throw new Error(`unknown contender ${contender}`);
  }
  process.stdout.write('ready\n');
}

await start();
