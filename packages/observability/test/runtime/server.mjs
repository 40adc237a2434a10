// The README's bare-Request example (wrapHandler) served by the runtime's own server (Bun.serve or
// Deno.serve), for scripts/runtime-smoke.mjs: it prints "listening <port>", logs one JSON line per
// request to stderr, and answers test/runtime/cases.json.
import {
  createLogger,
  errorHandler,
  getLogger,
  NotFoundError,
  requestLogger,
  wrapHandler,
} from '../../dist/index.js';

const logger = createLogger({
  name: 'smoke',
  pretty: false,
  destination: { write: (line) => console.error(line.trimEnd()) },
});

const fetch = wrapHandler([requestLogger({ logger }), errorHandler()], async (request, ctx) => {
  const { pathname } = new URL(request.url);
  if (pathname === '/') return Response.json({ requestId: ctx.state.requestId });
  if (pathname.startsWith('/orders/')) {
    getLogger().info({ id: pathname.slice(8) }, 'loading');
    throw new NotFoundError(`Order ${pathname.slice(8)} does not exist`);
  }
  if (pathname === '/crash') throw new Error('connect ECONNREFUSED 10.0.0.3:5432');
  if (pathname === '/echo') return Response.json(await request.json());
  throw new NotFoundError();
});

const options = { port: 0, hostname: '127.0.0.1' };
if (globalThis.Bun) {
  const server = Bun.serve({ ...options, fetch });
  console.log(`listening ${server.port}`);
} else {
  Deno.serve({ ...options, onListen: ({ port }) => console.log(`listening ${port}`) }, fetch);
}
