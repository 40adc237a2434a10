// The README's 30-second example served by the runtime's own server (Bun.serve or Deno.serve), for
// scripts/runtime-smoke.mjs: it prints "listening <port>" and answers test/runtime/cases.json.
import { createApp, json } from '@plinth/http';
import { z } from 'zod';
import { devErrorPage, formatRouteTable, openApi, serverTiming } from '../../dist/index.js';

const User = z.object({ id: z.uuid(), name: z.string() }).meta({ id: 'User' });

const app = createApp();
app.use(devErrorPage(), serverTiming({ slowThreshold: 500 }));
app.use(openApi({ source: app, info: { title: 'Users', version: '1.0.0' } }));

app.get(
  '/users/:id',
  {
    meta: {
      summary: 'One user',
      tags: ['users'],
      schema: { params: z.object({ id: z.uuid() }), response: { 200: User, 404: {} } },
    },
  },
  (ctx) => json({ id: ctx.params.id, name: 'Ada' }),
);
app.get('/boom', () => {
  throw new Error('the runtime melted');
});

console.error(formatRouteTable(app));
const options = { port: 0, hostname: '127.0.0.1' };
if (globalThis.Bun) {
  const server = Bun.serve({ ...options, fetch: app.fetch });
  console.log(`listening ${server.port}`);
} else {
  Deno.serve({ ...options, onListen: ({ port }) => console.log(`listening ${port}`) }, app.fetch);
}
