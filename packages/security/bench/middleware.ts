// The fetch middleware's per-request cost on the paths most requests take: secure headers on a fast
// response, a GET through csrf, a rate limit whose skip says no, cors on a request without Origin.
// Each subject awaits one middleware call at a time around a next() that answers a @plinth/http json()
// Response (its headers a plain record), on a fresh context shaped like @plinth/http's; `bare` is next() alone.
import { json } from '@plinth/http';
import { cors, csrf, rateLimit, secureHeaders } from '../src/adapters/fetch.js';
import type { Middleware, MiddlewareContext } from '../src/context.js';
import { memoryStore } from '../src/drivers/memory.js';

/** A context with @plinth/http's shape: fields, a header() method, state made on first read. */
class BenchContext implements MiddlewareContext {
  readonly method = 'GET';
  readonly path = '/api/tasks';
  readonly routePath = '/api/tasks';
  readonly remoteAddress = '127.0.0.1';
  readonly signal = signal;
  #state: object | undefined = undefined;
  readonly #headers: Record<string, string> = {
    host: 'tasks.example.com',
    accept: 'application/json',
    'sec-fetch-site': 'same-origin',
    cookie: 'session=abc',
  };

  header(name: string): string | undefined {
    return this.#headers[name.toLowerCase()];
  }

  get state(): object {
    this.#state ??= {};
    return this.#state;
  }

  get request(): Request {
    throw new Error('the bench middleware must not read ctx.request');
  }
}

const signal = new AbortController().signal;
const next = () => Promise.resolve(json({ id: 1, title: 'Write the bench' }));
const limited = new Set(['/api/auth/login']);

/** The middleware measured, by subject name (`bare` first: the baseline). */
export const middlewareSubjects: Record<string, Middleware> = {
  bare: (_ctx, nextMiddleware) => nextMiddleware(),
  'secureHeaders() on a json() response': secureHeaders(),
  'csrf() GET': csrf(),
  'rateLimit() skipped (skip returns true)': rateLimit({
    store: memoryStore(),
    policies: [{ name: 'login', limit: 20, windowMs: 60_000 }],
    key: (request) => request.client.key ?? 'unknown',
    skip: (request) => request.method !== 'POST' || !limited.has(request.path),
  }),
  'cors() request without Origin': cors({ origin: ['https://app.example.com'], credentials: true }),
};

/** Nanoseconds per call of `middleware`, awaited one at a time for `durationMs`. */
export async function nanosecondsPerCall(middleware: Middleware, durationMs: number): Promise<number> {
  let calls = 0;
  const started = performance.now();
  const deadline = started + durationMs;
  while (performance.now() < deadline) {
    for (let batch = 0; batch < 256; batch++) {
      const response = await middleware(new BenchContext(), next);
      if (response.status !== 200) throw new Error(`the middleware answered ${response.status}`);
    }
    calls += 256;
  }
  return ((performance.now() - started) * 1e6) / calls;
}
