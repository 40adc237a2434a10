// The two cookie operations this package needs: read one cookie from a Cookie header, write a Set-Cookie.

/** Internal: the value of cookie `name` in a `Cookie` header (RFC 6265 §5.4), or undefined. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (header === undefined) return undefined;
  let start = 0;
  while (start < header.length) {
    let end = header.indexOf(';', start);
    if (end === -1) end = header.length;
    const equals = header.indexOf('=', start);
    if (equals !== -1 && equals < end && header.slice(start, equals).trim() === name) {
      let value = header.slice(equals + 1, end).trim();
      if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1);
      return value;
    }
    start = end + 1;
  }
  return undefined;
}

/** Attributes of a cookie this package sets. */
export interface CookieAttributes {
  /** Seconds; 0 deletes the cookie. */
  maxAge?: number;
  path?: string;
  domain?: string;
  secure?: boolean;
  httpOnly?: boolean;
  sameSite?: 'Strict' | 'Lax' | 'None';
}

/** Internal: a `Set-Cookie` value. Values are base64url/ASCII we produced, so no escaping is needed. */
export function serializeCookie(name: string, value: string, attributes: CookieAttributes): string {
  let cookie = `${name}=${value}; Path=${attributes.path ?? '/'}`;
  if (attributes.maxAge !== undefined) cookie += `; Max-Age=${attributes.maxAge}`;
  if (attributes.domain !== undefined) cookie += `; Domain=${attributes.domain}`;
  if (attributes.httpOnly !== false) cookie += '; HttpOnly';
  if (attributes.secure !== false) cookie += '; Secure';
  cookie += `; SameSite=${attributes.sameSite ?? 'Lax'}`;
  return cookie;
}
