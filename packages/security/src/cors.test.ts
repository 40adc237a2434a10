import { describe, expect, it } from 'vitest';
import { type CorsOptions, createCors } from './cors.js';
import type { SecurityError } from './errors.js';

const request = (method: string, headers: Record<string, string>) => ({
  method,
  path: '/',
  peer: undefined,
  header: (name: string) => headers[name],
});
const headersOf = (pairs: ReadonlyArray<readonly [string, string]>) => {
  const out: Record<string, string> = {};
  for (const [name, value] of pairs) out[name] = out[name] === undefined ? value : `${out[name]}, ${value}`;
  return out;
};
const codeOf = (options: CorsOptions) => {
  try {
    createCors(options);
  } catch (error) {
    return (error as SecurityError).code;
  }
  return 'accepted';
};

describe('createCors refuses insecure configurations at start', () => {
  it.each([
    ['an unanchored pattern (expressjs/cors #422)', { origin: /example\.com$/ }],
    ['a pattern with an unescaped dot', { origin: /^https:\/\/app.example\.com$/ }],
    ['a pattern that also matches evil-example.com', { origin: /^https:\/\/.*example\.com$/ }],
    ['a pattern matching a suffix domain', { origin: /^https:\/\/(.+)\.example\.com.*$/ }],
    ['"*" with credentials', { origin: '*', credentials: true }],
    ['a function reflecting every origin with credentials', { origin: () => true, credentials: true }],
    ['origin: true (reflection)', { origin: true as unknown as string }],
    ['"null" with credentials', { origin: 'null', credentials: true }],
  ] as Array<[string, CorsOptions]>)('%s', (_name, options) => {
    expect(codeOf(options)).toBe('ERR_SECURITY_INSECURE_CORS');
  });

  it('refuses origins written with a path or trailing slash', () => {
    expect(codeOf({ origin: 'https://app.example.com/' })).toBe('ERR_SECURITY_INVALID_OPTION');
    expect(codeOf({ origin: 'app.example.com' })).toBe('ERR_SECURITY_INVALID_OPTION');
  });

  it('accepts anchored, escaped patterns and exact lists', () => {
    expect(codeOf({ origin: /^https:\/\/(app|admin)\.example\.com$/, credentials: true })).toBe('accepted');
    expect(codeOf({ origin: ['https://a.example.com', 'https://*.example.org'], credentials: true })).toBe(
      'accepted',
    );
  });
});

describe('the CORS protocol', () => {
  const cors = createCors({
    origin: ['https://app.example.com', 'https://*.example.org'],
    credentials: true,
    exposedHeaders: ['ratelimit', 'x-request-id'],
    maxAge: 300,
    privateNetwork: true,
  });

  it('allows a listed origin with credentials and exposed headers, varying on Origin', () => {
    const decision = cors.decide(request('GET', { origin: 'https://app.example.com' }));
    expect(decision.preflight).toBe(false);
    expect(headersOf(decision.headers)).toEqual({
      vary: 'Origin',
      'access-control-allow-origin': 'https://app.example.com',
      'access-control-allow-credentials': 'true',
      'access-control-expose-headers': 'ratelimit, x-request-id',
    });
  });

  it('sends no CORS headers but Vary to an unlisted origin', () => {
    for (const origin of [
      'https://evil-example.com',
      'https://app.example.com.evil.com',
      'https://example.org',
      'null',
    ]) {
      expect(headersOf(cors.decide(request('GET', { origin })).headers), origin).toEqual({ vary: 'Origin' });
    }
  });

  it('matches wildcard subdomains label by label', () => {
    expect(
      headersOf(cors.decide(request('GET', { origin: 'https://a.b.example.org' })).headers)[
        'access-control-allow-origin'
      ],
    ).toBe('https://a.b.example.org');
    expect(cors.decide(request('GET', { origin: 'https://evilexample.org' })).headers).toHaveLength(1);
    expect(cors.decide(request('GET', { origin: 'http://a.example.org' })).headers).toHaveLength(1);
  });

  it('answers a preflight with methods, the requested headers, max-age and private network access', () => {
    const decision = cors.decide(
      request('OPTIONS', {
        origin: 'https://app.example.com',
        'access-control-request-method': 'PUT',
        'access-control-request-headers': 'content-type, x-csrf-token',
        'access-control-request-private-network': 'true',
      }),
    );
    expect(decision.preflight).toBe(true);
    expect(headersOf(decision.headers)).toEqual({
      vary: 'Origin, Access-Control-Request-Headers',
      'access-control-allow-origin': 'https://app.example.com',
      'access-control-allow-credentials': 'true',
      'access-control-allow-methods': 'GET, HEAD, PUT, PATCH, POST, DELETE',
      'access-control-allow-headers': 'content-type, x-csrf-token',
      'access-control-max-age': '300',
      'access-control-allow-private-network': 'true',
    });
  });

  it('an OPTIONS without Access-Control-Request-Method is not a preflight', () => {
    expect(cors.decide(request('OPTIONS', { origin: 'https://app.example.com' })).preflight).toBe(false);
  });

  it('"*" sends no Vary and no credentials', () => {
    const open = createCors({ origin: '*', allowedHeaders: ['content-type'] });
    const decision = open.decide(
      request('OPTIONS', { origin: 'https://x.test', 'access-control-request-method': 'POST' }),
    );
    expect(headersOf(decision.headers)).toMatchObject({
      'access-control-allow-origin': '*',
      'access-control-allow-headers': 'content-type',
    });
    expect(headersOf(decision.headers).vary).toBeUndefined();
    expect(headersOf(decision.headers)['access-control-allow-credentials']).toBeUndefined();
  });

  it('asks a function for other origins', () => {
    const byFunction = createCors({
      origin: (origin) => origin.endsWith('.internal.test'),
      credentials: true,
    });
    expect(byFunction.decide(request('GET', { origin: 'https://a.internal.test' })).headers).toHaveLength(3);
    expect(byFunction.decide(request('GET', { origin: 'https://a.test' })).headers).toHaveLength(1);
  });
});
