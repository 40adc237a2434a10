// The README's fetch example served by the runtime's own server (Bun.serve or Deno.serve), for
// scripts/runtime-smoke.mjs: it prints "listening <port>" and answers test/runtime/cases.json.
import { createHealth } from '../../dist/index.js';

let databaseUp = true;
const health = createHealth({
  checks: [
    {
      name: 'database',
      cacheTtl: 0,
      run: async () => {
        if (!databaseUp) throw new Error('connection refused');
      },
    },
  ],
  verbose: (request) => request.headers.get('x-ops-token') === 'let-me-see',
});
health.markStarted();

const fetch = (request) => {
  const url = new URL(request.url);
  // A switch for the cases: the next probes see the database down.
  if (url.pathname === '/test/database-down') {
    databaseUp = false;
    return new Response('down\n');
  }
  return health.fetch(request);
};

const options = { port: 0, hostname: '127.0.0.1' };
if (globalThis.Bun) {
  const server = Bun.serve({ ...options, fetch });
  console.log(`listening ${server.port}`);
} else {
  Deno.serve({ ...options, onListen: ({ port }) => console.log(`listening ${port}`) }, fetch);
}
