import { describe, expect, it } from 'vitest';
import { parseCookies, serializeCookie } from './cookies.js';

describe('serializeCookie', () => {
  it('applies secure defaults: Path=/, HttpOnly, SameSite=Lax', () => {
    expect(serializeCookie('id', 'a b;c')).toBe('id=a%20b%3Bc; Path=/; HttpOnly; SameSite=Lax');
  });

  it('writes every option', () => {
    expect(
      serializeCookie('__Secure-id', 'v', {
        maxAge: 60.7,
        expires: new Date(Date.UTC(2030, 0, 1)),
        domain: 'example.com',
        path: '/app',
        secure: true,
        httpOnly: false,
        sameSite: 'None',
        partitioned: true,
        priority: 'High',
      }),
    ).toBe(
      '__Secure-id=v; Max-Age=60; Expires=Tue, 01 Jan 2030 00:00:00 GMT; Domain=example.com; Path=/app; SameSite=None; Secure; Partitioned; Priority=High',
    );
  });

  it.each([
    ['bad name', () => serializeCookie('a b', 'v'), 'name'],
    [
      'SameSite=None without Secure',
      () => serializeCookie('a', 'v', { sameSite: 'None' }),
      'requires secure',
    ],
    [
      '__Host- with a domain',
      () => serializeCookie('__Host-a', 'v', { secure: true, domain: 'x.com' }),
      '__Host-',
    ],
    ['__Secure- without Secure', () => serializeCookie('__Secure-a', 'v'), '__Secure-'],
    ['a path with ;', () => serializeCookie('a', 'v', { path: '/;x' }), 'path'],
    ['a domain with ;', () => serializeCookie('a', 'v', { domain: 'a.com;x' }), 'domain'],
    ['an infinite maxAge', () => serializeCookie('a', 'v', { maxAge: Number.POSITIVE_INFINITY }), 'maxAge'],
  ])('refuses %s', (_name, call, message) => {
    expect(call).toThrow(message);
  });
});

describe('parseCookies', () => {
  it('parses, decodes, keeps the first of repeated names and survives bad encodings', () => {
    const cookies = parseCookies('a=1; b="quoted"; c=100%; d=%E2%9C%93; a=2; =x; novalue');
    expect({ ...cookies }).toEqual({ a: '1', b: 'quoted', c: '100%', d: '✓' });
    expect(Object.getPrototypeOf(cookies)).toBeNull();
    expect(Object.entries(parseCookies('__proto__=x'))).toEqual([['__proto__', 'x']]);
  });
});
