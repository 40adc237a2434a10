// The README's 30-second example served by the runtime's own server (Bun.serve or Deno.serve), for
// scripts/runtime-smoke.mjs: it prints "listening <port>" and answers test/runtime/cases.json.
import { createApp, HttpError, json } from '../../dist/index.js';

const app = createApp();

app.use(async (ctx, next) => {
  ctx.state.userId = ctx.header('x-user-id');
  const response = await next();
  response.headers.set('x-route', ctx.routePath ?? 'none');
  return response;
});

app.get('/', () => json({ hello: 'world' }));
app.get('/users/:id', { meta: { summary: 'One user' } }, (ctx) => {
  if (ctx.params.id === '0') throw new HttpError(404, 'No such user.');
  return json({ id: ctx.params.id, page: ctx.query.integer('page') ?? 1 });
});
app.post('/users', async (ctx) => json(await ctx.body.json(), { status: 201 }));
// Beyond the example: what the runtime says about the peer (Bun's server, Deno's info), and ctx.respond.
app.get('/peer', (ctx) => json({ remoteAddress: ctx.remoteAddress ?? null }));
app.get('/respond', (ctx) =>
  ctx.respond('{"made":true}', { status: 201, headers: { 'content-type': 'application/json' } }),
);

const options = { port: 0, hostname: '127.0.0.1' };
if (globalThis.Bun) {
  const server = Bun.serve({ ...options, fetch: app.fetch });
  console.log(`listening ${server.port}`);
} else {
  Deno.serve({ ...options, onListen: ({ port }) => console.log(`listening ${port}`) }, app.fetch);
}
