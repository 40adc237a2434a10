// The README's middleware served by the runtime's own server (Bun.serve or Deno.serve), for
// scripts/runtime-smoke.mjs: it prints "listening <port>" and answers test/runtime/cases.json.
import { authenticate, createTokenVerifier, importSigningKey, requirePermission } from '../../dist/index.js';

// The tokens in cases.json are signed with this secret and expire in 2036.
const key = await importSigningKey({
  kid: 'smoke',
  alg: 'HS256',
  secret: 'plinth-auth-runtime-smoke-secret!',
});
const verifier = createTokenVerifier({ keys: [key], issuer: 'https://auth.example', audience: 'api' });
const guard = authenticate({ bearer: verifier });
const canDelete = requirePermission('posts:delete');

async function fetch(request) {
  const url = new URL(request.url);
  const ctx = {
    method: request.method,
    path: url.pathname,
    header: (name) => request.headers.get(name) ?? undefined,
    signal: request.signal,
    request,
    state: {},
  };
  return guard(ctx, async () => {
    if (url.pathname === '/posts') return canDelete(ctx, async () => Response.json({ deleted: true }));
    return Response.json({ id: ctx.state.user.id, via: ctx.state.user.via });
  });
}

// The host's error handler (Bun.serve `error`, Deno.serve `onError`): the middleware throw AuthErrors of
// the http-errors shape, answered here as problem+json, as @plinth/http's onError would.
const titles = { 401: 'Unauthorized', 403: 'Forbidden', 503: 'Service Unavailable' };
function problem(error) {
  const status = error?.status;
  if (!(status >= 400 && status < 500) || error.expose !== true) return new Response(null, { status: 500 });
  const body = JSON.stringify({
    type: 'about:blank',
    title: titles[status] ?? 'Error',
    status,
    detail: error.message,
    code: error.code,
  });
  return new Response(body, {
    status,
    headers: { ...error.headers, 'content-type': 'application/problem+json' },
  });
}

const options = { port: 0, hostname: '127.0.0.1' };
if (globalThis.Bun) {
  const server = Bun.serve({ ...options, fetch, error: problem });
  console.log(`listening ${server.port}`);
} else {
  Deno.serve(
    { ...options, onError: problem, onListen: ({ port }) => console.log(`listening ${port}`) },
    fetch,
  );
}
