// The README's fetch example served by the runtime's own server (Bun.serve or Deno.serve), for
// scripts/runtime-smoke.mjs: it prints "listening <port>" and answers test/runtime/cases.json.
// The middleware run around a plain fetch handler through a minimal context of the shared shape.
import { cors, csrf, html, memoryStore, rateLimit, secureHeaders } from '../../dist/index.js';

const middleware = [
  secureHeaders({ contentSecurityPolicy: { nonce: true } }),
  cors({ origin: ['https://app.example.com'], credentials: true }),
  csrf({ trustedOrigins: ['https://app.example.com'] }),
  rateLimit({
    store: memoryStore(),
    policies: [{ name: 'default', limit: 3, windowMs: 60_000, algorithm: 'fixed-window' }],
    key: (request) => request.header('x-client') ?? 'anonymous',
  }),
];

const handler = (ctx) => {
  if (ctx.path === '/page') {
    const page = html`<script nonce="${ctx.state.security.nonce}"></script><p>${'<b>escaped</b>'}</p>`;
    return new Response(page.toString(), { headers: { 'content-type': 'text/html; charset=utf-8' } });
  }
  return Response.json({ nonce: ctx.state.security?.nonce ?? null, method: ctx.method });
};

const fetch = (request) => {
  const url = new URL(request.url);
  const ctx = {
    method: request.method,
    path: url.pathname,
    header: (name) => request.headers.get(name) ?? undefined,
    signal: request.signal,
    request,
    state: {},
  };
  const run = (index) =>
    index === middleware.length
      ? Promise.resolve(handler(ctx))
      : middleware[index](ctx, () => run(index + 1));
  return run(0);
};

// The host's error handler (Bun.serve `error`, Deno.serve `onError`): the middleware throw request errors
// of the http-errors shape, answered here as problem+json, as @plinth/http's onError would.
const titles = {
  400: 'Bad Request',
  403: 'Forbidden',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  503: 'Service Unavailable',
};
function problem(error) {
  const status = error?.status ?? error?.statusCode;
  if (!(status >= 400 && status < 600) || error.expose === false) return new Response(null, { status: 500 });
  const body = JSON.stringify({
    type: 'about:blank',
    title: titles[status] ?? 'Error',
    status,
    detail: error.detail ?? error.message,
    code: error.code,
    errors: error.errors,
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
