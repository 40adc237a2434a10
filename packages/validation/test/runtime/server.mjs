// The fetch middleware and serializer served by the runtime's own server (Bun.serve or Deno.serve), for
// scripts/runtime-smoke.mjs: it prints "listening <port>" and answers test/runtime/cases.json. The
// context is built by hand from the Request (the shared middleware-context shape), with no framework.
import { z } from 'zod';
import { validate } from '../../dist/fetch.js';
import { serialize } from '../../dist/index.js';

const createOrder = {
  params: z.object({ id: z.number().int() }),
  querystring: z.object({ tags: z.array(z.string()).default([]) }),
  body: z.object({ items: z.array(z.object({ sku: z.string(), qty: z.number().int().min(1) })) }),
  response: {
    201: z.object({
      id: z.number(),
      tags: z.array(z.string()),
      items: z.array(z.object({ sku: z.string() })),
    }),
  },
};
const order = validate(createOrder);

async function fetchHandler(request) {
  const url = new URL(request.url);
  const match = /^\/orders\/([^/]+)$/.exec(url.pathname);
  if (request.method !== 'POST' || match === null) return new Response('not found', { status: 404 });
  const ctx = {
    method: request.method,
    path: url.pathname,
    routePath: '/orders/:id',
    header: (name) => request.headers.get(name) ?? undefined,
    signal: request.signal,
    request,
    state: {},
  };
  return order(ctx, async () => {
    const { params, querystring, body } = order.input(ctx);
    const saved = {
      id: params.id,
      tags: querystring.tags,
      items: body.items.map((item) => ({ ...item, cost: 1 })),
    };
    return new Response(serialize(createOrder.response[201], saved), {
      status: 201,
      headers: { 'content-type': 'application/json' },
    });
  });
}

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
  const server = Bun.serve({ ...options, fetch: fetchHandler, error: problem });
  console.log(`listening ${server.port}`);
} else {
  Deno.serve(
    { ...options, onError: problem, onListen: ({ port }) => console.log(`listening ${port}`) },
    fetchHandler,
  );
}
