// Cookies: reading the Cookie header (RFC 6265 §5.4) and writing Set-Cookie with secure defaults
// (HttpOnly, SameSite=Lax, Path=/), refusing combinations browsers would drop.
import { usageError } from './errors.js';

/** Options of one Set-Cookie. */
export interface CookieOptions {
  /** Lifetime in seconds (`Max-Age`); 0 or less deletes the cookie. */
  maxAge?: number;
  /** Absolute expiry (`Expires`). */
  expires?: Date;
  /** `Domain`; omit to keep the cookie to this host only (safest). */
  domain?: string;
  /** `Path`; `/` by default. */
  path?: string;
  /** `Secure`: only sent over HTTPS. Required by `SameSite=None`, `Partitioned` and the `__Secure-`/`__Host-` prefixes. */
  secure?: boolean;
  /** `HttpOnly`: hidden from page scripts; `true` by default. */
  httpOnly?: boolean;
  /** `SameSite`; `Lax` by default. */
  sameSite?: 'Strict' | 'Lax' | 'None';
  /** `Partitioned` (CHIPS). */
  partitioned?: boolean;
  /** `Priority`. */
  priority?: 'Low' | 'Medium' | 'High';
}

// RFC 6265 §4.1.1: cookie-name is an RFC 7230 token.
const tokenPattern = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const domainPattern =
  /^\.?[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*$/;
const pathPattern = /^[\x20-\x3a\x3c-\x7e]*$/;

function invalid(message: string) {
  return usageError('ERR_HTTP_INVALID_COOKIE', message);
}

/**
 * Serializes one `Set-Cookie` header value. The value is percent-encoded, so any string is safe.
 *
 * @example
 * serializeCookie('session', id, { secure: true, maxAge: 3600 });
 * // 'session=…; Max-Age=3600; Path=/; HttpOnly; SameSite=Lax; Secure'
 */
export function serializeCookie(name: string, value: string, options: CookieOptions = {}): string {
  if (!tokenPattern.test(name)) {
    throw invalid(
      `Cookie name ${JSON.stringify(name)} is invalid; use letters, digits and !#$%&'*+-.^_\`|~.`,
    );
  }
  const sameSite = options.sameSite ?? 'Lax';
  const path = options.path ?? '/';
  const secure = options.secure ?? false;
  if (!['Strict', 'Lax', 'None'].includes(sameSite)) {
    throw invalid(`Cookie "${name}": sameSite must be 'Strict', 'Lax' or 'None'.`);
  }
  if (sameSite === 'None' && !secure) {
    throw invalid(`Cookie "${name}": SameSite=None requires secure: true (browsers drop it otherwise).`);
  }
  if (options.partitioned && !secure) throw invalid(`Cookie "${name}": Partitioned requires secure: true.`);
  if (name.startsWith('__Secure-') && !secure)
    throw invalid(`Cookie "${name}": the __Secure- prefix requires secure: true.`);
  if (name.startsWith('__Host-') && (!secure || path !== '/' || options.domain !== undefined)) {
    throw invalid(`Cookie "${name}": the __Host- prefix requires secure: true, path "/" and no domain.`);
  }
  if (!pathPattern.test(path))
    throw invalid(`Cookie "${name}": the path contains ";" or control characters.`);
  let cookie = `${name}=${encodeURIComponent(value)}`;
  if (options.maxAge !== undefined) {
    if (!Number.isFinite(options.maxAge))
      throw invalid(`Cookie "${name}": maxAge must be a finite number of seconds.`);
    cookie += `; Max-Age=${Math.floor(options.maxAge)}`;
  }
  if (options.expires !== undefined) {
    if (!(options.expires instanceof Date) || Number.isNaN(options.expires.getTime())) {
      throw invalid(`Cookie "${name}": expires must be a valid Date.`);
    }
    cookie += `; Expires=${options.expires.toUTCString()}`;
  }
  if (options.domain !== undefined) {
    if (!domainPattern.test(options.domain))
      throw invalid(`Cookie "${name}": the domain ${JSON.stringify(options.domain)} is invalid.`);
    cookie += `; Domain=${options.domain}`;
  }
  cookie += `; Path=${path}`;
  if (options.httpOnly ?? true) cookie += '; HttpOnly';
  cookie += `; SameSite=${sameSite}`;
  if (secure) cookie += '; Secure';
  if (options.partitioned) cookie += '; Partitioned';
  if (options.priority !== undefined) cookie += `; Priority=${options.priority}`;
  return cookie;
}

/**
 * Parses a `Cookie` header into a null-prototype record; the first of repeated names wins and values
 * that are not valid percent-encoding are kept as sent.
 */
export function parseCookies(header: string | null | undefined): Record<string, string> {
  const cookies: Record<string, string> = Object.create(null);
  if (!header) return cookies;
  for (const part of header.split(';')) {
    const equals = part.indexOf('=');
    if (equals === -1) continue;
    const name = part.slice(0, equals).trim();
    if (name === '' || name in cookies) continue;
    let value = part.slice(equals + 1).trim();
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    if (value.includes('%')) {
      try {
        value = decodeURIComponent(value);
      } catch {
        // RFC 6265 does not require percent-encoding: a value like "100%" is kept as sent.
      }
    }
    cookies[name] = value;
  }
  return cookies;
}
