// inject(): an in-process request to any target, without opening a port; createInjector() adds a
// cookie jar and default headers shared across calls.
// node:timers, not the global: vitest's fake timers must not fire (or freeze) this wall-clock bound.
import { clearTimeout, setTimeout } from 'node:timers';
import { CookieJar } from './cookie-jar.js';
import { TestingError } from './errors.js';
import { dispatchFetch } from './fetch-exchange.js';
import { type InjectRequest, type NormalizedRequest, normalizeRequest } from './inject-request.js';
import { InjectResponse, type ResponseHead } from './inject-response.js';
import { type InjectTarget, type ResolvedTarget, resolveTarget } from './inject-target.js';
import { dispatchNode } from './node-exchange.js';

/** Options of inject() and createInjector(). */
export interface InjectOptions {
  /** Cookies are sent from and stored into this jar. */
  jar?: CookieJar;
  /** Headers sent with every request unless the request sets them. */
  headers?: Record<string, string>;
  /**
   * Milliseconds to wait for the response head (default 30000) before failing with
   * ERR_TESTING_NO_RESPONSE and hanging up; the body may stream on for longer.
   */
  timeout?: number;
}

function applyDefaults(request: NormalizedRequest, options: InjectOptions): void {
  const has = (name: string) => request.headers.some(([key]) => key.toLowerCase() === name);
  for (const [name, value] of Object.entries(options.headers ?? {})) {
    if (!has(name.toLowerCase())) request.headers.push([name, value]);
  }
  const fromJar = options.jar?.header(request.target);
  if (fromJar) {
    const index = request.headers.findIndex(([key]) => key.toLowerCase() === 'cookie');
    const existing = index === -1 ? undefined : request.headers[index];
    if (existing) existing[1] = `${fromJar}; ${existing[1]}`;
    else request.headers.push(['cookie', fromJar]);
  }
}

// Bounded: an app that never answers fails the test with a message instead of hanging it.
async function withinTimeout(
  normalized: NormalizedRequest,
  timeout: number,
  dispatch: (request: NormalizedRequest) => Promise<ResponseHead>,
): Promise<ResponseHead> {
  const hangUp = new AbortController();
  const outer = normalized.signal;
  outer?.addEventListener('abort', () => hangUp.abort(outer.reason), { once: true });
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      hangUp.abort();
      reject(
        new TestingError(
          'ERR_TESTING_NO_RESPONSE',
          `inject: ${normalized.method} ${normalized.target} got no response within ${timeout} ms; check that the handler answers (res.end(), reply.send(), a returned Response), or raise inject's timeout option.`,
        ),
      );
    }, timeout);
  });
  try {
    return await Promise.race([dispatch({ ...normalized, signal: hangUp.signal }), expired]);
  } finally {
    clearTimeout(timer);
  }
}

async function send(resolved: ResolvedTarget, request: InjectRequest | string, options: InjectOptions) {
  const timeout = options.timeout ?? 30_000;
  if (typeof timeout !== 'number' || !(timeout > 0)) {
    throw new TestingError(
      'ERR_TESTING_INVALID_OPTION',
      `inject: timeout must be a number of milliseconds > 0, got ${String(timeout)}.`,
    );
  }
  const normalized = await normalizeRequest(request);
  applyDefaults(normalized, options);
  if (resolved.kind === 'node' && resolved.ready) await resolved.ready();
  const head = await withinTimeout(normalized, timeout, (prepared) =>
    resolved.kind === 'fetch'
      ? dispatchFetch(resolved.handler, prepared)
      : dispatchNode(resolved.handler, prepared),
  );
  const response = new InjectResponse(head);
  options.jar?.store(response.headers.getSetCookie(), normalized.target);
  return response;
}

/**
 * Sends one request to `target` in-process (no port) and returns its response.
 *
 * @example
 * const response = await inject(app, { method: 'POST', url: '/users', json: { name: 'Ada' } });
 * expect(response.status).toBe(201);
 * expect(await response.json()).toMatchObject({ name: 'Ada' });
 */
export function inject(
  target: InjectTarget,
  request: InjectRequest | string = '/',
  options: InjectOptions = {},
): Promise<InjectResponse> {
  return send(resolveTarget(target), request, options);
}

/** A bound inject(): one target, one cookie jar across calls. */
export interface Injector {
  (request?: InjectRequest | string): Promise<InjectResponse>;
  /** The jar cookies are kept in between calls. */
  readonly jar: CookieJar;
}

/**
 * Binds inject() to one target with a cookie jar, so a login's Set-Cookie is sent on the next call.
 *
 * @example
 * const client = createInjector(app);
 * await client({ method: 'POST', url: '/login', json: { user: 'ada' } });
 * expect((await client('/me')).status).toBe(200);
 */
export function createInjector(target: InjectTarget, options: InjectOptions = {}): Injector {
  const resolved = resolveTarget(target);
  const jar = options.jar ?? new CookieJar();
  const bound = (request: InjectRequest | string = '/') => send(resolved, request, { ...options, jar });
  return Object.assign(bound, { jar });
}
