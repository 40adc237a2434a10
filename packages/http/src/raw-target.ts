// In-process requests with a raw request target: `new Request(url)` resolves `..` and `%2e%2e` before
// the router sees the path, while node, Express and Fastify route on the target exactly as sent. A
// request made here carries that target, and app.fetch routes on it, so a path-traversal test means
// the same in-process as over a socket.
import { usageError } from './errors.js';

const kTarget = Symbol.for('@plinth/http.rawTarget');

function hasControlOrSpace(target: string): boolean {
  for (let index = 0; index < target.length; index++) {
    const code = target.charCodeAt(index);
    if (code <= 0x20 || code === 0x7f) return true;
  }
  return false;
}

/** Options of {@link requestWithTarget}: a RequestInit plus the origin the URL is built on. */
export interface RawTargetInit extends RequestInit {
  /** `scheme://host` of `request.url`; `http://localhost` by default. */
  origin?: string;
}

/**
 * A Request that `app.fetch` routes on `target` exactly as given (origin-form `/a/../b?x` or
 * absolute-form `http://host/a`), as node:http, Express and Fastify do; `request.url` is the
 * WHATWG-normalized form a node handler would also see.
 *
 * @example
 * const response = await app.fetch(requestWithTarget('/files/%2e%2e/etc/passwd'));
 */
export function requestWithTarget(target: string, init: RawTargetInit = {}): Request {
  // RFC 9112 §3.2: a request target has no whitespace or control characters.
  if (typeof target !== 'string' || target === '' || hasControlOrSpace(target)) {
    throw usageError(
      'ERR_HTTP_INVALID_OPTIONS',
      `requestWithTarget: ${JSON.stringify(target)} is not a request target; give one without spaces or control characters, starting with "/" or "scheme://".`,
    );
  }
  const { origin = 'http://localhost', ...rest } = init;
  let url: URL;
  try {
    url = new URL(target, origin);
  } catch {
    url = new URL('/', origin);
  }
  const request = new Request(url, rest);
  Object.defineProperty(request, kTarget, { value: target });
  return request;
}

/** Internal: the raw target a {@link requestWithTarget} request carries. */
export function rawTargetOf(request: Request): string | undefined {
  return (request as { [kTarget]?: string })[kTarget];
}
