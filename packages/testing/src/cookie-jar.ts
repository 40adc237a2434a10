// Cookies across inject() calls: Set-Cookie parsed as RFC 6265 §5.2 says, sent back by path and expiry.

/** One cookie as a response set it. */
export interface ResponseCookie {
  name: string;
  value: string;
  path?: string;
  domain?: string;
  expires?: Date;
  maxAge?: number;
  httpOnly?: boolean;
  secure?: boolean;
  sameSite?: string;
  partitioned?: boolean;
}

/** Parses one Set-Cookie header value (RFC 6265 §5.2); undefined when it has no name=value pair. */
export function parseSetCookie(header: string): ResponseCookie | undefined {
  const [pair = '', ...attributes] = header.split(';');
  const equals = pair.indexOf('=');
  if (equals <= 0) return undefined;
  const cookie: ResponseCookie = {
    name: pair.slice(0, equals).trim(),
    value: pair.slice(equals + 1).trim(),
  };
  for (const attribute of attributes) {
    const at = attribute.indexOf('=');
    const key = (at === -1 ? attribute : attribute.slice(0, at)).trim().toLowerCase();
    const value = at === -1 ? '' : attribute.slice(at + 1).trim();
    if (key === 'path') cookie.path = value;
    else if (key === 'domain') cookie.domain = value.replace(/^\./, '');
    else if (key === 'expires') {
      const date = new Date(value);
      if (!Number.isNaN(date.getTime())) cookie.expires = date;
    } else if (key === 'max-age' && /^-?\d+$/.test(value)) cookie.maxAge = Number(value);
    else if (key === 'httponly') cookie.httpOnly = true;
    else if (key === 'secure') cookie.secure = true;
    else if (key === 'samesite') cookie.sameSite = value;
    else if (key === 'partitioned') cookie.partitioned = true;
  }
  return cookie;
}

interface StoredCookie {
  name: string;
  value: string;
  path: string;
  expiresAt: number | undefined;
}

// RFC 6265 §5.1.4: the default path is the request path up to its last "/".
function defaultPath(target: string): string {
  const path = target.split('?')[0] ?? '/';
  if (!path.startsWith('/')) return '/';
  const last = path.lastIndexOf('/');
  return last <= 0 ? '/' : path.slice(0, last);
}

function pathMatches(requestPath: string, cookiePath: string): boolean {
  if (requestPath === cookiePath) return true;
  if (!requestPath.startsWith(cookiePath)) return false;
  return cookiePath.endsWith('/') || requestPath[cookiePath.length] === '/';
}

/** A cookie jar: stores what responses set and answers the Cookie header for the next request. */
export class CookieJar {
  readonly #cookies = new Map<string, StoredCookie>();
  readonly #now: () => number;

  /** `now` is the clock expiry is judged by (Date.now by default, so fake timers apply). */
  constructor(options: { now?: () => number } = {}) {
    this.#now = options.now ?? (() => Date.now());
  }

  /** Stores the cookies of Set-Cookie header values a response to `target` carried. */
  store(setCookies: readonly string[], target = '/'): void {
    for (const header of setCookies) {
      const cookie = parseSetCookie(header);
      if (!cookie) continue;
      const path = cookie.path?.startsWith('/') ? cookie.path : defaultPath(target);
      // RFC 6265 §5.3: Max-Age wins over Expires; a past date deletes the cookie.
      const expiresAt =
        cookie.maxAge !== undefined ? this.#now() + cookie.maxAge * 1000 : cookie.expires?.getTime();
      const key = `${cookie.name};${path}`;
      if (expiresAt !== undefined && expiresAt <= this.#now()) this.#cookies.delete(key);
      else this.#cookies.set(key, { name: cookie.name, value: cookie.value, path, expiresAt });
    }
  }

  /** The Cookie header value for a request to `target`, or undefined when no cookie applies. */
  header(target = '/'): string | undefined {
    const path = (target.split('?')[0] ?? '/') || '/';
    const now = this.#now();
    const matching = [...this.#cookies.values()]
      .filter(
        (cookie) =>
          (cookie.expiresAt === undefined || cookie.expiresAt > now) && pathMatches(path, cookie.path),
      )
      // RFC 6265 §5.4: longer paths first.
      .sort((a, b) => b.path.length - a.path.length);
    if (matching.length === 0) return undefined;
    return matching.map((cookie) => `${cookie.name}=${cookie.value}`).join('; ');
  }

  /** The value of a live cookie by name (the longest path wins), or undefined. */
  get(name: string): string | undefined {
    const now = this.#now();
    let found: StoredCookie | undefined;
    for (const cookie of this.#cookies.values()) {
      if (cookie.name !== name || (cookie.expiresAt !== undefined && cookie.expiresAt <= now)) continue;
      if (!found || cookie.path.length > found.path.length) found = cookie;
    }
    return found?.value;
  }

  /** Sets a cookie by hand, as if a response to `/` had set it. */
  set(name: string, value: string, path = '/'): void {
    this.#cookies.set(`${name};${path}`, { name, value, path, expiresAt: undefined });
  }

  /** Forgets every cookie. */
  clear(): void {
    this.#cookies.clear();
  }
}
