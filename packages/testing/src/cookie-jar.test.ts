import { describe, expect, it } from 'vitest';
import vectors from '../test/vectors/set-cookie.json' with { type: 'json' };
import { CookieJar, parseSetCookie } from './cookie-jar.js';

describe('parseSetCookie (RFC 6265 §5.2)', () => {
  it.each(vectors)('parses $header', ({ header, cookie }) => {
    expect(parseSetCookie(header) ?? null).toEqual(cookie);
  });

  it('reads Expires as a date', () => {
    expect(parseSetCookie('a=1; Expires=Wed, 21 Oct 2026 07:28:00 GMT')?.expires?.toISOString()).toBe(
      '2026-10-21T07:28:00.000Z',
    );
  });
});

describe('CookieJar', () => {
  it('defaults the path to the directory of the request path (§5.1.4)', () => {
    const jar = new CookieJar();
    jar.store(['a=1'], '/account/login?next=/');
    expect(jar.header('/account/profile')).toBe('a=1');
    expect(jar.header('/accounting')).toBeUndefined();
    expect(jar.header('/')).toBeUndefined();
  });

  it('sends longer paths first and replaces a cookie of the same name and path', () => {
    const jar = new CookieJar();
    jar.store(['a=root; Path=/', 'a=deep; Path=/x/y', 'b=2; Path=/x']);
    jar.store(['a=root2; Path=/']);
    expect(jar.header('/x/y/z')).toBe('a=deep; b=2; a=root2');
    expect(jar.get('a')).toBe('deep');
  });

  it('lets Max-Age win over Expires and deletes on a past date', () => {
    let now = Date.parse('2026-01-01T00:00:00Z');
    const jar = new CookieJar({ now: () => now });
    jar.store(['a=1; Max-Age=10; Expires=Thu, 01 Jan 2099 00:00:00 GMT', 'b=2']);
    now += 11_000;
    expect(jar.header('/')).toBe('b=2');
    jar.store(['b=gone; Expires=Thu, 01 Jan 1970 00:00:00 GMT']);
    expect(jar.get('b')).toBeUndefined();
  });
});
